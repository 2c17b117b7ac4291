// The prelude shapes that metadata values are checked against, with the members and constraint
// traits the checks read. Written from the Smithy specification ("Shape closures").
$version: "2.0"

namespace smithy.api

/// The type of the `shapeClosures` metadata: named closures of shapes.
@private
@metadata(key: "shapeClosures")
list ShapeClosures {
    member: ShapeClosure
}

/// One closure: an ID, its roots (namespaces, a selector) and renames.
@private
structure ShapeClosure {
    @required
    id: ClosureId

    includeNamespaces: Namespaces = []

    @length(min: 1)
    includeBySelector: String

    rename: Renames = {}

    documentation: CommonMark
}

/// A closure ID has the form of a shape ID, though no shape need have it.
@private
@idRef(failWhenMissing: false)
string ClosureId

@private
@uniqueItems
list Namespaces {
    member: String
}

/// Shape IDs of the closure to the names they take in it. Members, services, resources and
/// operations keep their names.
@private
map Renames {
    @idRef(
        failWhenMissing: true
        selector: ":not(:is(member, service, resource, operation))"
        errorMessage: "Renames must target shapes that are in the model and must not target services, resources, operations, or members."
    )
    key: String

    value: Identifier
}

@private
string CommonMark

/// A shape name, as the `Identifier` rule of the IDL grammar has it.
@private
@pattern("^(_+[a-zA-Z0-9]|[a-zA-Z])\\w*$")
string Identifier
