//! Dependencies between plans: fixture folders snapshotted (resolution, cycles, review
//! checks), and cycle detection checked against brute-force reachability.

use plansmith::check::{check, CheckOptions};
use plansmith::deps::{analyse, render_json, waves};
use plansmith::plan::read_plan;
use proptest::prelude::*;
use std::path::Path;

#[test]
fn fixture_graphs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/deps");
    for case in ["resolution", "cycles", "review"] {
        let checked = check(&CheckOptions {
            paths: vec![root.join(case)],
            model_paths: Vec::new(),
            jobs: 1,
            ..CheckOptions::default()
        });
        let deps: Vec<_> = checked
            .plans
            .iter()
            .flat_map(|p| {
                p.dependencies
                    .iter()
                    .map(move |d| format!("{} -> {:?} {:?} ({})", p.path, d.kind, d.target, d.text))
            })
            .collect();
        let diagnostics: Vec<String> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("DEP"))
            .map(|d| {
                let related: Vec<String> = d
                    .related
                    .iter()
                    .map(|r| format!("{}:{}", r.path, r.span.line))
                    .collect();
                format!(
                    "{}:{}:{} {} {} {:?}",
                    d.path, d.span.line, d.span.column, d.code, d.message, related
                )
            })
            .collect();
        let text = format!(
            "{}\n\n{}\n\n{}",
            deps.join("\n"),
            diagnostics.join("\n"),
            render_json(&checked.graph)
        );
        insta::assert_snapshot!(format!("deps-{case}"), text);
    }
}

/// Plans `p0..pn` where plan i links to each j in `edges[i]`.
fn plans_for(edges: &[Vec<usize>]) -> Vec<plansmith::plan::Plan> {
    edges
        .iter()
        .enumerate()
        .map(|(i, targets)| {
            let mut text = format!("# P{i} Technical Implementation Plan\n\n| **Status:** Draft\n\n## Dependencies\n\n");
            for j in targets {
                text.push_str(&format!("- [P{j}](p{j:02}.md)\n"));
            }
            read_plan(&format!("p{i:02}.md"), &text).0
        })
        .collect()
}

fn reaches(edges: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; edges.len()];
    let mut stack = edges[from].clone();
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if !std::mem::replace(&mut seen[n], true) {
            stack.extend(&edges[n]);
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn cycles_agree_with_brute_force(edges in (1usize..10).prop_flat_map(|n| {
        proptest::collection::vec(proptest::collection::vec(0..n, 0..4), n)
    })) {
        let mut plans = plans_for(&edges);
        let (graph, diagnostics) = analyse(&mut plans, &[], &|_, _| false);
        let n = edges.len();
        let on_cycle: Vec<bool> = (0..n).map(|i| reaches(&edges, i, i)).collect();
        // Plans flagged as in a cycle group of the implementation order = plans on a cycle.
        let mut flagged = vec![false; n];
        for wave in waves(&graph) {
            for group in wave.groups.iter().filter(|g| g.cycle) {
                for p in &group.plans {
                    flagged[p[1..3].parse::<usize>().unwrap()] = true;
                }
            }
        }
        prop_assert_eq!(&flagged, &on_cycle);
        // One reported cycle per group of mutually reachable plans on a cycle.
        let mut groups = std::collections::BTreeSet::new();
        for i in (0..n).filter(|&i| on_cycle[i]) {
            let members: Vec<usize> = (0..n).filter(|&j| j == i || (reaches(&edges, i, j) && reaches(&edges, j, i))).collect();
            groups.insert(members);
        }
        prop_assert_eq!(graph.cycles.len(), groups.len());
        prop_assert_eq!(diagnostics.iter().filter(|d| d.code == "DEP002").count(), groups.len());
        // Each reported cycle is a real one, and no cycle of its group is shorter.
        let shortest_through = |start: usize| {
            let mut distance = vec![usize::MAX; n];
            let mut queue = std::collections::VecDeque::new();
            for &t in &edges[start] { if distance[t] == usize::MAX { distance[t] = 1; queue.push_back(t); } }
            while let Some(x) = queue.pop_front() {
                for &t in &edges[x] { if distance[t] == usize::MAX { distance[t] = distance[x] + 1; queue.push_back(t); } }
            }
            distance[start]
        };
        for cycle in &graph.cycles {
            let ids: Vec<usize> = cycle.iter().map(|p| p[1..3].parse().unwrap()).collect();
            for k in 0..ids.len() {
                prop_assert!(edges[ids[k]].contains(&ids[(k + 1) % ids.len()]));
            }
            let group = groups.iter().find(|g| g.contains(&ids[0])).unwrap();
            let shortest = group.iter().map(|&m| shortest_through(m)).min().unwrap();
            prop_assert_eq!(ids.len(), shortest);
        }
        // Every plan lands in exactly one wave, after everything it depends on outside its group.
        let order = waves(&graph);
        let mut wave_of = vec![0; n];
        for wave in &order {
            for group in &wave.groups {
                for p in &group.plans {
                    wave_of[p[1..3].parse::<usize>().unwrap()] = wave.number;
                }
            }
        }
        for (i, targets) in edges.iter().enumerate() {
            prop_assert!(wave_of[i] > 0);
            for &j in targets {
                let same_group = reaches(&edges, i, j) && reaches(&edges, j, i);
                prop_assert!(same_group || wave_of[j] < wave_of[i]);
            }
        }
    }
}
