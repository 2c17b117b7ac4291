//! Errors added to and removed from operations and services.

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::Kind;
use crate::smithy::diff::{Changed, DiffEvent, Differences, Severity};

const OPERATION: [Kind; 1] = [Kind::Shape(ShapeType::Operation)];
const SERVICE: [Kind; 1] = [Kind::Shape(ShapeType::Service)];

/// The errors only the first version of a change has, for changes whose error sets differ.
fn only_in<'a>(change: &Changed<'a>, first_is_new: bool) -> Vec<&'a str> {
    let (a, b) = if first_is_new {
        (&change.new.bindings.errors, &change.old.bindings.errors)
    } else {
        (&change.old.bindings.errors, &change.new.bindings.errors)
    };
    a.difference(b).map(String::as_str).collect()
}

fn name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}

pub fn added_to_operation(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&OPERATION) {
        for error in only_in(change, true) {
            let message = format!(
                "The `{error}` error was added to the `{}` operation. This is backward-compatible if the error is only encountered as a result of a change in behavior of the client (for example, the client sends a new parameter to an operation).",
                change.old.id
            );
            let id = format!("AddedOperationError.{}", name(error));
            out.push(DiffEvent::new(
                id,
                Severity::Warning,
                &change.new.id,
                message,
            ));
        }
    }
}

pub fn removed_from_operation(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&OPERATION) {
        for error in only_in(change, false) {
            let message = format!(
                "The `{error}` error was removed from the `{}` operation.",
                change.old.id
            );
            let id = format!("RemovedOperationError.{}", name(error));
            out.push(DiffEvent::new(
                id,
                Severity::Warning,
                &change.new.id,
                message,
            ));
        }
    }
}

pub fn added_to_service(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&SERVICE) {
        for error in only_in(change, true) {
            let message = format!(
                "The `{error}` error was added to the `{}` service, making this error common to all operations within the service. This is backward-compatible if the error is only encountered as a result of a change in behavior of the client (for example, the client sends a new parameter to an operation).",
                change.old.id
            );
            out.push(DiffEvent::new(
                "AddedServiceError",
                Severity::Warning,
                &change.new.id,
                message,
            ));
        }
    }
}

pub fn removed_from_service(d: &Differences, out: &mut Vec<DiffEvent>) {
    for change in d.changed_of(&SERVICE) {
        for error in only_in(change, false) {
            let message = format!(
                "The `{error}` error was removed from the `{}` service. This means that it is no longer considered an error common to all operations within the service.",
                change.old.id
            );
            out.push(DiffEvent::new(
                "RemovedServiceError",
                Severity::Warning,
                &change.new.id,
                message,
            ));
        }
    }
}
