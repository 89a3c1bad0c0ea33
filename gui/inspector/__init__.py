"""The inspector: fields generated from a layer type's attributes, names and groups, template parameters."""
