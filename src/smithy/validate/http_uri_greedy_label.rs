//! `HttpUriGreedyLabel`: a greedy label (`{name+}`) is the only greedy label of its URI
//! (`.MultipleGreedyLabels`) and the last label (`.GreedyLabelIsNotLastLabel`), both DANGER.

use super::shared::{http_trait, trait_at};
use super::Events;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for shape in model.shapes.values() {
        let Some((_, uri)) = http_trait(model, shape) else {
            continue;
        };
        let at = trait_at(&shape.traits, "smithy.api#http", &shape.location);
        let full = uri.full();
        for (i, (_, label)) in uri.segments.iter().enumerate() {
            if *label != Some(true) {
                continue;
            }
            for (_, later) in &uri.segments[i + 1..] {
                if *later == Some(true) {
                    ev.danger(
                        "HttpUriGreedyLabel.MultipleGreedyLabels",
                        &at,
                        &shape.id,
                        format!("At most one greedy label segment may exist in a pattern: {full}"),
                    );
                }
                if later.is_some() {
                    ev.danger(
                        "HttpUriGreedyLabel.GreedyLabelIsNotLastLabel",
                        &at,
                        &shape.id,
                        format!("A greedy label must be the last label in its pattern: {full}"),
                    );
                }
            }
        }
    }
}
