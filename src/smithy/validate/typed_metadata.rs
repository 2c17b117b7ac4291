//! `TypedMetadata.<key>`: a metadata value agrees with the shape whose `@metadata` trait names
//! its key (the prelude types `shapeClosures`), checked as trait values are (`node_value.rs`),
//! with blob values held to base64 and a zero outside a `@range` only a warning. A key whose
//! type is defined twice is not checked: `MetadataTrait` reports it.

use super::metadata_trait::metadata_types;
use super::node_value::NodeValidator;
use super::Events;

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for (key, shapes) in metadata_types(model) {
        let ([shape], Some(value)) = (shapes.as_slice(), model.metadata.get(key)) else {
            continue;
        };
        let event_id = format!("TypedMetadata.{key}");
        let mut values = NodeValidator::new(model, &event_id, true)
            .requiring_base64_blobs()
            .with_selector_index(ev.selector_index());
        values.check_shape(&shape.id, value, &format!("metadata.{key}"));
        let events = values.events;
        let locations = model.metadata_locations.get(key);
        for e in events {
            // An event inside a list is placed at its element (`metadata.key.3...`).
            let element = e
                .message
                .strip_prefix(&format!("metadata.{key}."))
                .and_then(|rest| rest.split(['.', ':', ' ']).next())
                .and_then(|index| index.parse::<usize>().ok());
            let at = locations
                .and_then(|l| element.and_then(|i| l.get(i)).or(l.first()))
                .cloned()
                .unwrap_or_default();
            ev.emit(&e.id, e.severity, &at, "", e.message);
        }
    }
}
