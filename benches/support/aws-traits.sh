# Sourced by the AWS benchmarks: copies the AWS trait definitions that ../shared lists
# (expect/trait-defs.txt) into "$scratch/traits", for models that use the AWS traits.
# Needs $root (the repository) and $scratch (a temporary folder) to be set.
shared=$root/../shared/conformance/smithy
mkdir "$scratch/traits"
while read -r rel; do
    [ -n "$rel" ] && cp "$shared/$rel" "$scratch/traits/$(echo "$rel" | tr / _)"
done < "$shared/expect/trait-defs.txt"
# The models' @smokeTests name aws.test#AwsVendorParams, which that list lacks; the reference
# validates them with it.
cp "$shared/realworld/smithy-lang_smithy/trait-defs/smithy-aws-smoke-test-model/aws.test.smithy" "$scratch/traits/"
