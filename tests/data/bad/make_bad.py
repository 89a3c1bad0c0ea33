"""Writes the bad-file corpus (run by hand: python tests/data/bad/make_bad.py).

expected.json holds the message each file must produce; it is written and reviewed by hand, not
by this script, so a change in a message shows up as a failing test.
"""
import json, copy, os
D = os.path.dirname(os.path.abspath(__file__))
BASE = {
  "format": "archcanvas.design", "version": 1, "name": "small",
  "nodes": [
    {"id": "in", "type": "Input", "attrs": {"shape": [32, 32, 3]}},
    {"id": "c1", "type": "Conv2D", "attrs": {"filters": 16, "kernel_size": 3, "padding": "same", "activation": "relu"}},
    {"id": "c2", "type": "Conv2D", "attrs": {"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"}},
    {"id": "flat", "type": "Flatten", "attrs": {}},
    {"id": "fc", "type": "Dense", "attrs": {"units": 10, "activation": "softmax"}}
  ],
  "edges": [
    {"source": "in", "target": "c1"}, {"source": "c1", "target": "c2"},
    {"source": "c2", "target": "flat"}, {"source": "flat", "target": "fc"}
  ]
}
def text(d): return json.dumps(d, indent=2, ensure_ascii=False) + "\n"
def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(D, name), mode) as f: f.write(data)
def variant(name, fn):
    d = copy.deepcopy(BASE); fn(d); write(name, text(d))
def setattr_(i, k, v): return lambda d: d["nodes"][i]["attrs"].__setitem__(k, v)

write("empty.json", "")
write("whitespace_only.json", "  \n\n\t\n")
t = text(BASE); write("truncated.json", t[: len(t) // 2])
write("binary.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)))
write("latin1_name.json", text({**BASE, "name": "caf\u00e9"}).encode("latin-1"))
write("top_level_list.json", "[1, 2, 3]\n")
write("top_level_string.json", '"a design"\n')
write("not_a_design.json", '{"type": "FeatureCollection", "features": []}\n')
variant("wrong_format_tag.json", lambda d: d.__setitem__("format", "keras.model"))
variant("missing_format.json", lambda d: d.pop("format"))
variant("future_version.json", lambda d: d.__setitem__("version", 2))
variant("version_float.json", lambda d: d.__setitem__("version", 1.0))
variant("version_string.json", lambda d: d.__setitem__("version", "1"))
variant("missing_version.json", lambda d: d.pop("version"))
variant("nodes_not_list.json", lambda d: d.__setitem__("nodes", {"in": {"type": "Input"}}))
variant("node_not_object.json", lambda d: d["nodes"].__setitem__(2, "c2"))
variant("missing_id.json", lambda d: d["nodes"][2].pop("id"))
variant("duplicate_id.json", lambda d: d["nodes"][2].__setitem__("id", "c1"))
variant("empty_id.json", lambda d: d["nodes"][3].__setitem__("id", ""))
variant("id_number.json", lambda d: d["nodes"][3].__setitem__("id", 3))
variant("missing_type.json", lambda d: d["nodes"][1].pop("type"))
variant("unknown_type.json", lambda d: d["nodes"][1].__setitem__("type", "Conv2d"))
variant("unknown_type_far.json", lambda d: d["nodes"][1].__setitem__("type", "LSTM"))
variant("unknown_attribute.json", lambda d: d["nodes"][1]["attrs"].__setitem__("filterz", d["nodes"][1]["attrs"].pop("filters")))
variant("missing_required_attr.json", lambda d: d["nodes"][4]["attrs"].pop("units"))
variant("attrs_not_object.json", lambda d: d["nodes"][1].__setitem__("attrs", [16, 3]))
variant("filters_negative.json", setattr_(1, "filters", -4))
variant("filters_zero.json", setattr_(1, "filters", 0))
variant("filters_float.json", setattr_(1, "filters", 64.0))
variant("filters_string.json", setattr_(1, "filters", "64"))
variant("filters_bool.json", setattr_(1, "filters", True))
variant("strides_bool.json", setattr_(2, "strides", [True, 2]))
variant("kernel_three_values.json", setattr_(1, "kernel_size", [3, 3, 3]))
variant("padding_wrong_case.json", setattr_(1, "padding", "SAME"))
variant("filters_huge.json", setattr_(1, "filters", 99999999999999999999))
variant("input_shape_zero.json", lambda d: d["nodes"][0]["attrs"].__setitem__("shape", [0, 32, 3]))
variant("input_shape_over_int32.json", lambda d: d["nodes"][0]["attrs"].__setitem__("shape", [2147483648, 32, 3]))
t = text(BASE).replace('"filters": 16', '"filters": 1e400'); write("filters_overflow_float.json", t)
t = text(BASE).replace('"filters": 16', '"filters": ' + "9" * 5000); write("filters_5000_digits.json", t)
t = text(BASE).replace('"units": 10', '"units": NaN'); write("nan_literal.json", t)
t = text(BASE).replace('"filters": 16,', '"filters": 16, "filters": 32,'); write("duplicate_key.json", t)
write("deeply_nested.json", "[" * 100000 + "]" * 100000)
variant("pos_one_number.json", lambda d: d["nodes"][1].__setitem__("pos", [10]))
variant("name_number.json", lambda d: d["nodes"][1].__setitem__("name", 7))
variant("edges_not_list.json", lambda d: d.__setitem__("edges", "in->c1"))
variant("edge_unknown_target.json", lambda d: d["edges"][1].__setitem__("target", "c3"))
variant("edge_unknown_source.json", lambda d: d["edges"][2].__setitem__("source", "conv2"))
variant("edge_missing_target.json", lambda d: d["edges"][0].pop("target"))
variant("edge_unknown_key.json", lambda d: d["edges"][0].__setitem__("label", "main"))
variant("self_loop.json", lambda d: d["edges"].append({"source": "c2", "target": "c2"}))
def cycle(d):
    d["nodes"] += [{"id": "a", "type": "Conv2D", "attrs": {"filters": 8, "kernel_size": 1}},
                   {"id": "b", "type": "Conv2D", "attrs": {"filters": 8, "kernel_size": 1}},
                   {"id": "c", "type": "Conv2D", "attrs": {"filters": 8, "kernel_size": 1}}]
    d["edges"] += [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}, {"source": "c", "target": "a"}]
variant("cycle.json", cycle)
variant("edge_into_input.json", lambda d: d["edges"].append({"source": "fc", "target": "in"}))
variant("single_input_twice.json", lambda d: d["edges"].append({"source": "in", "target": "c2"}))
variant("port_out_of_range.json", lambda d: d["edges"][1].__setitem__("port", 1))
variant("port_bool.json", lambda d: d["edges"][1].__setitem__("port", True))
def concat_port_taken(d):
    d["nodes"].append({"id": "cat", "type": "Concatenate", "attrs": {}})
    d["edges"] += [{"source": "c1", "target": "cat", "port": 0}, {"source": "in", "target": "cat", "port": 0}]
variant("port_taken.json", concat_port_taken)
# valid files that cannot be computed: load fine, `report` exits 1 naming the node
def kernel_too_large(d):
    d["nodes"][0]["attrs"]["shape"] = [6, 6, 3]
    d["nodes"][1]["attrs"].update(kernel_size=7, padding="valid")
variant("compute_kernel_too_large.json", kernel_too_large)
def concat_mismatch(d):
    d["nodes"].insert(3, {"id": "cat", "type": "Concatenate", "attrs": {}})
    d["edges"] = [{"source": "in", "target": "c1"}, {"source": "c1", "target": "c2"},
                  {"source": "c1", "target": "cat", "port": 0}, {"source": "c2", "target": "cat", "port": 1},
                  {"source": "cat", "target": "flat"}, {"source": "flat", "target": "fc"}]
variant("compute_concat_mismatch.json", concat_mismatch)
variant("compute_groups_not_dividing.json", lambda d: d["nodes"][1]["attrs"].update(filters=30, groups=4))
variant("compute_conv_without_input.json", lambda d: d["edges"].pop(1))
variant("compute_reshape_mismatch.json", lambda d: (d["nodes"].__setitem__(3, {"id": "flat", "type": "Reshape", "attrs": {"target_shape": [100, 10]}})))
def port_too_large(d):
    d["nodes"].append({"id": "cat", "type": "Concatenate", "attrs": {}})
    d["edges"] += [{"source": "c1", "target": "cat", "port": 0}, {"source": "in", "target": "cat", "port": 5000000}]
variant("port_too_large.json", port_too_large)
variant("extra_nested_too_deep.json", lambda d: d["nodes"][2].__setitem__("notes", json.loads("[" * 200 + "]" * 200)))
