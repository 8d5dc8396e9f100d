// Package interop holds the tests that compare the iam provider's wire format with the official
// SDKs': huaweicloud-sdk-go-v3 (a test-only module dependency, driven live) and
// gophertelekomcloud (refused by the Go module proxy; its signer and request code are copied in
// otcsdk). They check that our signer equals the SDKs' signers, that the mock accepts what the
// SDKs send and answers what their models decode, and that our client sends what they send.
package interop
