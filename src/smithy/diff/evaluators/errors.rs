//! Errors added to and removed from operations and services.

use crate::smithy::ast::ShapeType;
use crate::smithy::diff::flat::Kind;
use crate::smithy::diff::{DiffEvent, Differences, Severity};

const OPERATION: [Kind; 1] = [Kind::Shape(ShapeType::Operation)];
const SERVICE: [Kind; 1] = [Kind::Shape(ShapeType::Service)];

/// The reference's sentence for an error that can be backward-compatible once added.
const BEHAVIOUR_CHANGE: &str = "This is backward-compatible if the error is only encountered as a result of a change in behavior of the client (for example, the client sends a new parameter to an operation).";

/// One WARNING per error that only one side of a changed operation or service lists.
/// `added` picks the side (errors only the new version has, or only the old one);
/// `event` names the event from the error's shape id, `message` words it from the error and
/// the owner's id.
fn report_error_changes(
    d: &Differences,
    out: &mut Vec<DiffEvent>,
    owner: &[Kind],
    added: bool,
    event: impl Fn(&str) -> String,
    message: impl Fn(&str, &str) -> String,
) {
    for change in d.changed_of(owner) {
        let (only, other) = if added {
            (&change.new.bindings.errors, &change.old.bindings.errors)
        } else {
            (&change.old.bindings.errors, &change.new.bindings.errors)
        };
        for error in only.difference(other) {
            out.push(DiffEvent::new(
                event(error),
                Severity::Warning,
                &change.new.id,
                message(error, &change.old.id),
            ));
        }
    }
}

fn name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, n)| n)
}

pub fn added_to_operation(d: &Differences, out: &mut Vec<DiffEvent>) {
    report_error_changes(
        d,
        out,
        &OPERATION,
        true,
        |error| format!("AddedOperationError.{}", name(error)),
        |error, owner| {
            format!("The `{error}` error was added to the `{owner}` operation. {BEHAVIOUR_CHANGE}")
        },
    );
}

pub fn removed_from_operation(d: &Differences, out: &mut Vec<DiffEvent>) {
    report_error_changes(
        d,
        out,
        &OPERATION,
        false,
        |error| format!("RemovedOperationError.{}", name(error)),
        |error, owner| format!("The `{error}` error was removed from the `{owner}` operation."),
    );
}

pub fn added_to_service(d: &Differences, out: &mut Vec<DiffEvent>) {
    report_error_changes(
        d,
        out,
        &SERVICE,
        true,
        |_| "AddedServiceError".to_owned(),
        |error, owner| {
            format!("The `{error}` error was added to the `{owner}` service, making this error common to all operations within the service. {BEHAVIOUR_CHANGE}")
        },
    );
}

pub fn removed_from_service(d: &Differences, out: &mut Vec<DiffEvent>) {
    report_error_changes(
        d,
        out,
        &SERVICE,
        false,
        |_| "RemovedServiceError".to_owned(),
        |error, owner| {
            format!("The `{error}` error was removed from the `{owner}` service. This means that it is no longer considered an error common to all operations within the service.")
        },
    );
}
