//! `AuthTrait` (DANGER): the `@auth` of a service and of its operations only names auth schemes
//! the service has applied.

use super::shared::{service_operations, trait_at};
use super::Events;
use crate::smithy::ast::ShapeType;
use crate::smithy::model::*;
use serde_json::Value;
use std::collections::BTreeSet;

/// The auth definitions of the prelude.
const PRELUDE_AUTH: &[&str] = &[
    "smithy.api#httpBasicAuth",
    "smithy.api#httpDigestAuth",
    "smithy.api#httpBearerAuth",
    "smithy.api#httpApiKeyAuth",
];

pub(super) fn is_auth_definition(model: &Model, id: &str) -> bool {
    PRELUDE_AUTH.contains(&id)
        || model
            .shapes
            .get(id)
            .is_some_and(|s| model.has_trait(s, "smithy.api#authDefinition"))
}

fn check_shape(ev: &mut Events, service: &Shape, schemes: &BTreeSet<&str>, shape: &Shape) {
    let Some(auth) = ev
        .model
        .trait_value(shape, "smithy.api#auth")
        .and_then(Value::as_array)
    else {
        return;
    };
    let extra: BTreeSet<&str> = auth
        .iter()
        .filter_map(Value::as_str)
        .filter(|id| !schemes.contains(id))
        .collect();
    if !extra.is_empty() {
        let listed: Vec<&str> = extra.into_iter().collect();
        let at = trait_at(&shape.traits, "smithy.api#auth", &shape.location);
        ev.danger("AuthTrait", &at, &shape.id, format!(
            "auth trait applies authentication that is not configured on the service shape, `{}`: [{}]",
            service.id,
            listed.join(", ")
        ));
    }
}

pub(super) fn check(ev: &mut Events) {
    let model = ev.model;
    for service in ev.shapes_of(ShapeType::Service) {
        let schemes: BTreeSet<&str> = service
            .traits
            .keys()
            .map(String::as_str)
            .filter(|id| is_auth_definition(model, id))
            .collect();
        check_shape(ev, service, &schemes, service);
        for op in service_operations(model, service) {
            if let Some(op) = model.shapes.get(&op) {
                check_shape(ev, service, &schemes, op);
            }
        }
    }
}
