package scaling

import (
	"slices"
	"time"

	"github.com/authscope/authscope/model"
)

// Scaling's fixed data. Times are fixed (not relative to now) so bodies
// are the same on every run and golden files stay valid.

type person struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

type incident struct {
	ID                 string     `json:"id"`
	Title              string     `json:"title"`
	Status             string     `json:"status"`
	Severity           string     `json:"severity"`
	Service            string     `json:"service"`
	EscalationPolicyID string     `json:"escalationPolicyId"`
	Assignee           *person    `json:"assignee"`
	CreatedAt          time.Time  `json:"createdAt"`
	AcknowledgedAt     *time.Time `json:"acknowledgedAt"`
	ResolvedAt         *time.Time `json:"resolvedAt"`
}

var (
	incidentStatuses   = []string{"triggered", "acknowledged", "resolved"}
	incidentSeverities = []string{"critical", "high", "medium", "low"}
)

var responders = []person{
	{ID: "usr_7Hq2LmZp", Name: "Ada Okafor", Email: "ada.okafor@example.com"},
	{ID: "usr_3Vt8KcWe", Name: "Jonas Lindqvist", Email: "jonas.lindqvist@example.com"},
	{ID: "usr_9Rb4NxYs", Name: "Mei Tanaka", Email: "mei.tanaka@example.com"},
	{ID: "usr_5Df1GjQa", Name: "Rafael Duarte", Email: "rafael.duarte@example.com"},
}

const (
	policyPlatform = "esc_4Jw8PzRt"
	policyPayments = "esc_8Kd2VsLm"
)

// incidentRow is one fixture line: acked and resolved are minutes after
// creation (0 = not yet), responder indexes responders (-1 = nobody).
type incidentRow struct {
	id, title, service, severity, created string
	acked, resolved, responder            int
}

var incidentRows = []incidentRow{
	{"inc_7pQw3ZrYb2", "Checkout API p99 latency above 2 s", "checkout-api", "critical", "2025-06-14T09:41:07Z", 0, 0, -1},
	{model.SandboxIncidentID, "Payment webhooks failing with 502 from upstream", "payments-worker", "high", "2025-06-14T08:12:55Z", 4, 0, 0},
	{"inc_4nHs8UeLd6", "Elevated 401s on auth-gateway after key rotation", "auth-gateway", "high", "2025-06-13T22:05:31Z", 2, 47, 1},
	{"inc_9cVb1XmKq3", "Search index lag over 10 minutes", "search", "medium", "2025-06-13T17:48:12Z", 11, 0, 2},
	{"inc_2wEr6TyUi8", "Disk 92% full on postgres-primary-1", "postgres-primary", "high", "2025-06-13T11:20:44Z", 3, 38, 3},
	{"inc_5gHj7KlZx1", "CDN 5xx spike in eu-west", "cdn-edge", "critical", "2025-06-12T19:02:09Z", 1, 26, 0},
	{"inc_8bNm2QaSd4", "Notification emails delayed", "notifications", "low", "2025-06-12T14:33:50Z", 35, 180, 2},
	{"inc_3fGh9WeRt5", "Nightly billing job exceeded its window", "billing-cron", "medium", "2025-06-12T03:15:00Z", 20, 140, 3},
	{"inc_6yUi4OpAs7", "Kafka consumer lag on ingest-events", "kafka-ingest", "high", "2025-06-11T21:47:36Z", 6, 72, 1},
	{"inc_1zXc5VbNm9", "Pod crash loop: checkout-api canary", "checkout-api", "medium", "2025-06-11T16:09:18Z", 5, 22, 0},
	{"inc_0qWe8RtYu2", "TLS certificate for api.example.com expires in 7 days", "cdn-edge", "low", "2025-06-11T09:00:00Z", 60, 1440, 2},
	{"inc_7aSd3FgHj4", "Error rate 4% on payments-worker refunds", "payments-worker", "high", "2025-06-10T23:18:27Z", 2, 55, 3},
	{"inc_2kLz6XcVb1", "Node k8s-eu-west-1-node-14 NotReady", "k8s-eu-west-1", "medium", "2025-06-10T15:52:03Z", 8, 31, 1},
	{"inc_5mNb9QwEr3", "Replication lag on postgres-replica-2", "postgres-primary", "medium", "2025-06-10T07:27:45Z", 4, 66, 3},
	{"inc_8tYu1IoPa6", "Auth-gateway rejecting tokens: clock skew", "auth-gateway", "critical", "2025-06-09T20:14:38Z", 1, 19, 0},
	{"inc_3sDf4GhJk8", "Search queries timing out for large tenants", "search", "high", "2025-06-09T13:06:21Z", 7, 118, 2},
	{"inc_6lZx7CvBn0", "Push notifications failing on Android", "notifications", "medium", "2025-06-09T08:39:57Z", 15, 210, 2},
	{"inc_9qAz2WsXe5", "Invoice PDFs rendering blank", "billing-cron", "low", "2025-06-08T18:25:11Z", 90, 600, 3},
	{"inc_4rFv5TgBy7", "Ingest pipeline dropping 0.5% of events", "kafka-ingest", "high", "2025-06-08T10:58:30Z", 3, 84, 1},
	{"inc_1hNu8JmIk2", "Checkout 500s for one payment provider", "checkout-api", "critical", "2025-06-07T21:33:02Z", 1, 41, 0},
	{"inc_7oLp3QaZw4", "Memory leak in payments-worker v2.31", "payments-worker", "medium", "2025-06-07T12:12:12Z", 9, 300, 3},
	{"inc_2xSw6EdCr8", "CDN cache hit ratio dropped to 40%", "cdn-edge", "low", "2025-06-06T16:47:59Z", 25, 150, 2},
	{"inc_5vFr9TbGn1", "Rate limiter misconfigured on auth-gateway", "auth-gateway", "high", "2025-06-06T09:03:44Z", 2, 17, 1},
	{"inc_8hYn2UjMk3", "Backup job failed for postgres-primary", "postgres-primary", "medium", "2025-06-05T02:30:00Z", 180, 420, 3},
	{"inc_3ikO5LpQa6", "Scheduler skipped two billing runs", "billing-cron", "medium", "2025-06-04T01:00:05Z", 300, 480, 3},
	{"inc_6wSx8EdRf9", "Cluster autoscaler stuck at max nodes", "k8s-eu-west-1", "high", "2025-06-03T14:21:37Z", 6, 58, 1},
	{"inc_9tGb1YhNu4", "Search relevance regression after deploy", "search", "low", "2025-06-02T11:44:26Z", 45, 1200, 2},
	{"inc_0jMi4KoLp7", "Duplicate email notifications sent", "notifications", "low", "2025-06-01T19:09:48Z", 30, 95, 0},
}

// incidents are the rows, newest first (the order the API lists them).
var incidents = buildIncidents()

func buildIncidents() []incident {
	out := make([]incident, 0, len(incidentRows))
	for _, row := range incidentRows {
		created, err := time.Parse(time.RFC3339, row.created)
		if err != nil {
			panic("sandbox: bad incident fixture time " + row.created)
		}
		in := incident{ID: row.id, Title: row.title, Severity: row.severity, Service: row.service,
			CreatedAt: created, Status: "triggered", EscalationPolicyID: policyPlatform}
		if row.service == "payments-worker" || row.service == "checkout-api" || row.service == "billing-cron" {
			in.EscalationPolicyID = policyPayments
		}
		if row.responder >= 0 {
			in.Assignee = &responders[row.responder]
		}
		if row.acked > 0 {
			t := created.Add(time.Duration(row.acked) * time.Minute)
			in.AcknowledgedAt, in.Status = &t, "acknowledged"
		}
		if row.resolved > 0 {
			t := created.Add(time.Duration(row.resolved) * time.Minute)
			in.ResolvedAt, in.Status = &t, "resolved"
		}
		out = append(out, in)
	}
	slices.SortStableFunc(out, func(a, b incident) int { return b.CreatedAt.Compare(a.CreatedAt) })
	return out
}

type schedule struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	TimeZone      string    `json:"timeZone"`
	Rotation      string    `json:"rotation"`
	Members       []string  `json:"members"`
	CurrentOncall person    `json:"currentOncall"`
	NextHandoffAt time.Time `json:"nextHandoffAt"`
}

var schedules = []schedule{
	{ID: "sch_2Lp9XqWm", Name: "Platform primary", TimeZone: "Europe/Berlin", Rotation: "weekly",
		Members:       []string{responders[0].ID, responders[1].ID, responders[3].ID},
		CurrentOncall: responders[1], NextHandoffAt: time.Date(2025, 6, 16, 9, 0, 0, 0, time.UTC)},
	{ID: "sch_6Tr3BnVc", Name: "Payments follow-the-sun", TimeZone: "America/New_York", Rotation: "daily",
		Members:       []string{responders[0].ID, responders[2].ID, responders[3].ID},
		CurrentOncall: responders[0], NextHandoffAt: time.Date(2025, 6, 14, 21, 0, 0, 0, time.UTC)},
}

type escalationTarget struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type escalationRule struct {
	DelayMinutes int                `json:"delayMinutes"`
	Targets      []escalationTarget `json:"targets"`
}

type escalationPolicy struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	RepeatCount int              `json:"repeatCount"`
	Rules       []escalationRule `json:"rules"`
}

var escalationPolicies = []escalationPolicy{
	{ID: policyPlatform, Name: "Platform", RepeatCount: 2, Rules: []escalationRule{
		{DelayMinutes: 0, Targets: []escalationTarget{{Type: "schedule", ID: "sch_2Lp9XqWm"}}},
		{DelayMinutes: 15, Targets: []escalationTarget{{Type: "user", ID: responders[3].ID}}},
	}},
	{ID: policyPayments, Name: "Payments", RepeatCount: 3, Rules: []escalationRule{
		{DelayMinutes: 0, Targets: []escalationTarget{{Type: "schedule", ID: "sch_6Tr3BnVc"}}},
		{DelayMinutes: 10, Targets: []escalationTarget{{Type: "user", ID: responders[0].ID}, {Type: "user", ID: responders[2].ID}}},
	}},
}
