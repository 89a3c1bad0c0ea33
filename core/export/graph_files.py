"""The design's graph for Graphviz (DOT) and graph tools (GraphML, written by networkx).

Every node is kept with its id, name, type, group, output shape and costs; every wire is one
edge with its input port and the shape it carries. DOT frames each group as a cluster.
"""

from __future__ import annotations

import io

import networkx as nx

from .common import Plan, shape_text


def _graph(plan: Plan) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name=str(plan.design.name))
    for nid in plan.order:
        node, r = plan.design.node(nid), plan.analysis[nid]
        g.add_node(nid, name=node.label, type=node.type, group=node.group or "",
                   output_shape=shape_text(r.shape), params=r.params, macs=r.macs, flops=r.flops)
    for e in plan.design.edges():
        g.add_edge(e.source, e.target, key=e.port, port=e.port, shape=shape_text(plan.shape(e.source)))
    return g


def graphml(plan: Plan) -> str:
    buf = io.BytesIO()
    nx.write_graphml(_graph(plan), buf, encoding="utf-8")
    return buf.getvalue().decode("utf-8")


def _q(text) -> str:
    """A DOT quoted string (ids and labels are free text)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(plan: Plan) -> str:
    g = _graph(plan)
    out = [f"digraph {_q(plan.design.name)} {{", "  rankdir=LR;", '  node [shape=box, style=rounded];']
    clusters: dict[str, list[str]] = {}
    for nid, d in g.nodes(data=True):
        line = f"  {_q(nid)} [label={_q(chr(10).join((d['name'], d['type'], d['output_shape'])))}];"
        clusters.setdefault(d["group"], []).append(line)
    for group, lines in clusters.items():
        if not group:
            out.extend(lines)
            continue
        out.append(f"  subgraph {_q('cluster_' + group)} {{")
        out.append(f"    label={_q(group)};")
        out.extend("  " + line for line in lines)
        out.append("  }")
    for s, t, d in g.edges(data=True):
        out.append(f"  {_q(s)} -> {_q(t)} [label={_q(d['shape'])}, port={d['port']}];")
    out.append("}")
    return "\n".join(out) + "\n"
