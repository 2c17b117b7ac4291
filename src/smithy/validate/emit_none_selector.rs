//! `EmitNoneSelector`, a validator a model declares in its `validators` metadata: one DANGER,
//! about no shape, when its `selector` matches no shape of the model (prelude shapes do not
//! count).

use super::metadata_validators::{selector_property, RawEvent};
use super::{Events, Level};
use crate::smithy::model::Location;
use crate::smithy::selector::Selector;
use serde_json::{Map, Value};

pub(super) struct Config {
    selector: Selector,
}

pub(super) fn configure(config: &Map<String, Value>) -> Result<Config, String> {
    let selector = selector_property(config, "selector")?;
    Ok(Config {
        selector: selector.ok_or_else(|| "selector is required".to_string())?,
    })
}

/// `at` is where the validator was declared: the event is about no shape.
pub(super) fn validate(ev: &Events, config: &Config, at: &Location) -> Vec<RawEvent> {
    let index = ev.selector_index();
    let any = config
        .selector
        .select(index)
        .into_iter()
        .any(|n| !index.node(n).prelude);
    if any {
        return Vec::new();
    }
    vec![RawEvent {
        id: "EmitNoneSelector".to_string(),
        level: Level::Danger,
        shape: None,
        at: at.clone(),
        message: format!(
            "Expected at least one shape to match selector: {}",
            config.selector.text
        ),
    }]
}
