use super::*;
use crate::mermaid::test_support::{
    block_codes as codes, block_errors as errors, block_model, nested, parse_text,
};
use crate::mermaid::Diagram;

fn flow(text: &str) -> Flowchart {
    block_model(text, |d| match d {
        Diagram::Flowchart(f) => Some(f),
        _ => None,
    })
}

#[test]
fn chain_and_labels() {
    let f = flow("flowchart LR\n  A[Start] -->|go| B{Choice} -- yes --> C & D\n");
    assert_eq!(f.direction, Direction::LeftToRight);
    let ids: Vec<_> = f.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D"]);
    assert_eq!(f.nodes[1].shape.as_deref(), Some("diamond"));
    assert_eq!(f.edges.len(), 3);
    assert_eq!(f.edges[0].label, "go");
    assert_eq!(f.edges[2].to, "D");
    assert_eq!(f.edges[2].label, "yes");
}

#[test]
fn subgraph_members_and_generated_ids() {
    let f = flow("graph TB\nsubgraph One\n a1-->a2\nend\nsubgraph two words\n b\nend\n");
    assert_eq!(f.subgraphs[0].id, "One");
    assert_eq!(f.subgraphs[0].members, ["a2", "a1"]);
    assert_eq!(f.subgraphs[1].id, "subGraph1");
    assert_eq!(f.subgraphs[1].title, "two words");
}

#[test]
fn edge_types() {
    let f = flow("graph TD\nA<-->B\nA-.->B\nA==>B\nA~~~B\nA--oB\nA e1@--x B\n");
    let kinds: Vec<_> = f
        .edges
        .iter()
        .map(|e| format!("{}/{}", e.kind, e.stroke))
        .collect();
    assert_eq!(
        kinds,
        [
            "double_arrow_point/normal",
            "arrow_point/dotted",
            "arrow_point/thick",
            "arrow_open/invisible",
            "arrow_circle/normal",
            "arrow_cross/normal"
        ]
    );
    assert_eq!(f.edges[5].id, "e1");
    assert_eq!(f.edges[1].id, "L_A_B_2");
}

#[test]
fn parenthesis_in_text_is_an_error_at_its_position() {
    let e = errors("graph TD\n  A[a (b)] --> B\n");
    assert_eq!(e.len(), 1);
    assert_eq!((e[0].span.line, e[0].span.column), (2, 7));
    assert!(e[0].message.contains("expected"), "{}", e[0].message);
}

#[test]
fn unknown_shape_is_rejected() {
    let e = errors("flowchart TD\n  A@{ shape: blob }\n");
    assert_eq!(e[0].code, "MMD102");
    assert!(flow("flowchart TD\n  A@{ shape: cyl, label: \"DB\" }\n").nodes[0].label == "DB");
}

#[test]
fn link_style_out_of_bounds() {
    let e = errors("graph TD\nA-->B\nlinkStyle 1 stroke:red\n");
    assert_eq!(e[0].code, "MMD103");
    assert_eq!(e[0].span.line, 3);
}

#[test]
fn missing_end_and_keyword_typo() {
    let e = errors("graph TD\nsubgraph S\nA-->B\n");
    assert!(e[0].message.contains("`end`"));
    assert!(!errors("grap TD\nA-->B\n").is_empty());
}

#[test]
fn snapshot_model() {
    let f = flow(
        "flowchart TB\n  accTitle: Orders\n  classDef hot fill:#f96\n  subgraph svc [Service]\n    direction LR\n    api([API]):::hot --> db[(Store)]\n  end\n  user((User)) -. calls .-> api\n  click api href \"https://example.com\"\n",
    );
    insta::assert_json_snapshot!(f);
}

#[test]
fn parsing_goes_on_after_an_error() {
    let e = errors("graph TD\n  A[a (b) c] --> B\n  C -- x --> D\n  E{{e}} --> F}\n");
    let lines: Vec<u32> = e.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, [2, 4]);
    assert!(e[1].message.contains("line break"), "{}", e[1].message);
}

#[test]
fn tricky_syntax_is_read_as_mermaid_reads_it() {
    // `---o` ends in a circle head, so `val` becomes the target
    let f = flow("graph LR\nA---oval\n");
    assert_eq!(
        (f.edges[0].to.as_str(), f.edges[0].kind.as_str()),
        ("val", "arrow_circle")
    );
    // markdown strings, entity codes in text, `:::` after a shape, `&` on both sides
    let f = flow("flowchart TD\n  a[\"`**bold**`\"]:::c & b --> c & d[\"say #quot;hi#quot;\"]\n  classDef c fill:#f00\n");
    assert_eq!(f.nodes[0].label_kind, LabelKind::Markdown);
    assert_eq!(f.nodes[0].classes, ["c"]);
    assert_eq!(f.edges.len(), 4);
    assert_eq!(f.nodes[3].label, "say #quot;hi#quot;");
    // a direction arrow after `graph`, a subgraph direction, a title-only subgraph
    let f = flow("graph >\nsubgraph \"My title\"\n  direction BT\n  x\nend\n");
    assert_eq!(f.direction, Direction::LeftToRight);
    assert_eq!(f.subgraphs[0].direction, Some(Direction::BottomToTop));
    assert_eq!(f.subgraphs[0].id, "subGraph0");
    // an edge id is not a node, and its shape data is edge data
    let f = flow("flowchart LR\n  A e1@==> B\n  e1@{ animate: true }\n");
    assert_eq!(f.nodes.len(), 2);
    assert_eq!(f.edges[0].stroke, "thick");
}

#[test]
fn mermaid_rejects_what_looks_harmless() {
    // entity codes outside text, a double space after `classDef`, `end` as a node
    assert_eq!(errors("graph TD\nA#quot;B --> C\n")[0].code, "MMD101");
    assert!(!errors("graph TD\nclassDef  c fill:#f00\n").is_empty());
    assert!(!errors("graph TD\nA --> end\n").is_empty());
    // `call` without parentheses swallows the rest of the diagram and fails
    assert!(!errors("graph TD\nA-->B\nclick A call cb\n").is_empty());
}

#[test]
fn graph_view() {
    let f = flow("graph TD\nsubgraph S\n  a --> b\nend\nb --> c\n");
    let g = f.graph();
    assert_eq!(g.graph.node_count(), 3);
    assert_eq!(g.graph.edge_count(), 2);
    assert_eq!(g.groups[0].id, "S");
    let b = g.graph.node_weights().find(|n| n.id == "b").unwrap();
    assert_eq!(b.group.as_deref(), Some("S"));
}

#[test]
fn end_of_text_ends_the_header_and_statements() {
    assert!(errors("graph TD").is_empty());
    assert!(errors("flowchart LR\nA-->B").is_empty());
    assert!(errors("graph").is_empty());
    assert!(!errors("graph TD A-->B").is_empty());
}

#[test]
fn repeated_subgraph_id_warns() {
    let parsed = parse_text("graph TD\nsubgraph S\n a\nend\nsubgraph S\n b\nend\n");
    let w: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "MMD108")
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].span.line, 5);
    assert!(parsed.diagram.is_some());
}

#[test]
fn an_error_at_the_end_points_at_the_end_of_the_text() {
    let e = errors("graph TD\nA -->\n\n");
    assert_eq!((e[0].span.line, e[0].span.column), (2, 6));
    assert!(
        e[0].message.contains("expected a node id"),
        "{}",
        e[0].message
    );
}

#[test]
fn each_check_has_its_code() {
    assert_eq!(codes("flowchart TD\n  A@{ label: \"open }\n"), ["MMD101"]);
    assert_eq!(
        codes("flowchart TD\n  A@{ label: 'x', label: 'y' }\n"),
        ["MMD104"]
    );
    assert_eq!(codes("graph TD\nA-->B\nstyle Q fill:#f00\n"), ["MMD105"]);
    assert!(codes("graph TD\nstyle A fill:#f00\nA-->B\n").is_empty());
    assert_eq!(codes("graph TD\nA:::ghost-->B\n"), ["MMD107"]);
    let many: String = (0..501).map(|i| format!("n{i} --> m{i}\n")).collect();
    assert_eq!(codes(&format!("graph TD\n{many}")), ["MMD106"]);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let nested = |n| {
        nested(
            "graph TD",
            n,
            |i| format!("subgraph s{i}\n"),
            "a --> b\n",
            "end\n",
        )
    };
    assert!(errors(&nested(grammar::MAX_DEPTH)).is_empty());
    let e = errors(&nested(5000));
    assert!(
        e[0].message.contains("nested subgraphs"),
        "{}",
        e[0].message
    );
}
