package scalekit

// What the external tests (package scalekit_test, which start the whole
// sandbox over TLS) read of this package's internals.
var (
	GRPCMaxMessage uint32 = grpcMaxMessage
	OrgTime               = orgTime
	FixtureOrgs           = func() (ids, created []string) {
		for _, row := range orgRows {
			ids, created = append(ids, row.id), append(created, row.created)
		}
		return ids, created
	}
)

type TokenResponse = tokenResponse
