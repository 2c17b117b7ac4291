//! A generator of realistic plan folders for benchmarks: `n` plans spread over teams, each with
//! the template's header, dependencies on earlier plans (so no cycle), a Smithy interface,
//! mermaid diagrams, a risk table and an acceptance checklist. Deterministic for a given `n`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small linear congruential generator: deterministic, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

const STATUSES: [&str; 5] = ["Draft", "In Review", "Approved", "In Progress", "Completed"];

fn plan_path(i: usize) -> String {
    format!("team-{:02}/feature-{i:04}.md", i % 25)
}

fn plan_text(i: usize, rng: &mut Lcg) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "# Feature {i} Technical Implementation Plan\n");
    let _ = writeln!(
        t,
        "| **Status:** {} <!-- Draft | In Review | Approved -->",
        STATUSES[rng.next(5)]
    );
    let _ = writeln!(t, "| **Owner:** Owner {}", rng.next(40));
    let _ = writeln!(
        t,
        "| **Target Date:** {:02}-{:02}-2027 <!-- ISO format: DD-MM-YYYY --> |\n",
        1 + rng.next(28),
        1 + rng.next(12)
    );
    let _ = writeln!(
        t,
        "## Overview\n\nFeature {i} lets customers manage their widgets in bulk.\n"
    );
    t.push_str("## Dependencies\n\n");
    let deps = if i == 0 { 0 } else { rng.next(4) };
    for _ in 0..deps {
        let target = rng.next(i);
        let here = plan_path(i);
        let there = plan_path(target);
        let up = if here.split('/').next() == there.split('/').next() {
            String::new()
        } else {
            "../".to_string()
        };
        let file = if up.is_empty() {
            there.rsplit('/').next().unwrap().to_string()
        } else {
            format!("{up}{there}")
        };
        let _ = writeln!(t, "- [Feature {target}]({file})");
    }
    t.push_str("- Payments gateway (external)\n\n## Interfaces\n\n```smithy\n$version: \"2\"\n");
    let _ = writeln!(t, "namespace com.example.f{i}\n");
    let _ = writeln!(
        t,
        "service Feature{i} {{\n    version: \"2027-01-01\"\n    operations: [GetWidget{i}]\n}}\n"
    );
    let _ = writeln!(t, "@readonly\n@http(method: \"GET\", uri: \"/widgets/{{id}}\")\noperation GetWidget{i} {{\n    input := {{\n        @required\n        @httpLabel\n        id: String\n    }}\n    output := {{\n        name: String\n        count: Integer = 0\n    }}\n    errors: [NotFound{i}]\n}}\n");
    let _ = writeln!(t, "@error(\"client\")\n@httpError(404)\nstructure NotFound{i} {{\n    message: String\n}}\n```\n");
    t.push_str("## Architecture\n\n```mermaid\nflowchart LR\n  client[Client] --> api(API)\n  api --> db[(Database)]\n  subgraph backend\n    api\n    worker{{Worker}}\n  end\n  api -.->|jobs| worker\n```\n\n");
    t.push_str("```mermaid\nsequenceDiagram\n  participant U as User\n  participant A as API\n  U->>+A: GET /widgets/1\n  alt found\n    A-->>U: 200 widget\n  else missing\n    A-->>-U: 404\n  end\n```\n\n");
    t.push_str("## Risks\n\n| Risk | Likelihood | Impact | Mitigation |\n|---|---|---|---|\n| Slow queries | Medium | High | Index on owner |\n\n");
    t.push_str("## Acceptance Criteria\n\n- [x] API documented\n- [ ] Load tested\n- [ ] Alerts in place\n");
    t
}

/// Writes `n` plans under `dir` and returns their paths.
pub fn generate(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut rng = Lcg(0x5eed);
    let mut paths = Vec::with_capacity(n);
    for i in 0..n {
        let path = dir.join(plan_path(i));
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, plan_text(i, &mut rng))?;
        paths.push(path);
    }
    Ok(paths)
}
