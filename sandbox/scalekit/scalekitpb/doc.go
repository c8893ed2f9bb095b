// Package scalekitpb holds the Go code generated from proto/: the subset of
// Scalekit's scalekit.v1 schema (OrganizationService, ErrorInfo, RegionCode)
// that the sandbox's gRPC face serves. The .proto files are authscope's own,
// wire-compatible with Scalekit's published names and field numbers.
//
// Regenerate after editing proto/ (needs protoc):
//
//	bash sandbox/scalekit/scalekitpb/generate.sh
package scalekitpb

//go:generate bash generate.sh
