package docs_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/tongpei/tongpei/dispatch"
	"github.com/tongpei/tongpei/docs"
	"github.com/tongpei/tongpei/stations"
)

type asyncDoc struct {
	AsyncAPI string `json:"asyncapi"`
	Channels map[string]struct {
		Address  string                     `json:"address"`
		Messages map[string]json.RawMessage `json:"messages"`
	} `json:"channels"`
	Operations map[string]struct {
		Action   string `json:"action"`
		Channel  ref    `json:"channel"`
		Messages []ref  `json:"messages"`
	} `json:"operations"`
	Components struct {
		Schemas  map[string]json.RawMessage `json:"schemas"`
		Messages map[string]struct {
			Payload ref `json:"payload"`
		} `json:"messages"`
	} `json:"components"`
}

type ref struct {
	Ref string `json:"$ref"`
}

func readDoc(t *testing.T) (asyncDoc, any) {
	t.Helper()
	var d asyncDoc
	if err := json.Unmarshal(docs.AsyncAPI, &d); err != nil {
		t.Fatalf("asyncapi.json: %v", err)
	}
	raw, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs.AsyncAPI))
	if err != nil {
		t.Fatal(err)
	}
	return d, raw
}

// TestAsyncAPIDocumentHangsTogether checks what a generator or portal needs:
// version 3.0.0, every reference resolving, every channel on a stream's
// subjects, and the operations' actions.
func TestAsyncAPIDocumentHangsTogether(t *testing.T) {
	d, _ := readDoc(t)
	if d.AsyncAPI != "3.0.0" {
		t.Errorf("asyncapi %q, want 3.0.0", d.AsyncAPI)
	}
	streams := []string{"tongpei.parcel.", "tongpei.dispatch.", "tongpei.carrier.", "tongpei.dlq.", "tongpei.notify."}
	for name, ch := range d.Channels {
		if !slices.ContainsFunc(streams, func(p string) bool { return strings.HasPrefix(ch.Address, p) }) {
			t.Errorf("channel %s: address %s is on no stream", name, ch.Address)
		}
		for m, r := range ch.Messages {
			var x ref
			_ = json.Unmarshal(r, &x)
			if _, ok := d.Components.Messages[strings.TrimPrefix(x.Ref, "#/components/messages/")]; !ok {
				t.Errorf("channel %s message %s: %s does not resolve", name, m, x.Ref)
			}
		}
	}
	for name, op := range d.Operations {
		if op.Action != "send" && op.Action != "receive" {
			t.Errorf("operation %s: action %q", name, op.Action)
		}
		ch, ok := d.Channels[strings.TrimPrefix(op.Channel.Ref, "#/channels/")]
		if !ok {
			t.Errorf("operation %s: channel %s does not resolve", name, op.Channel.Ref)
			continue
		}
		for _, m := range op.Messages {
			parts := strings.Split(m.Ref, "/")
			if _, ok := ch.Messages[parts[len(parts)-1]]; !ok || !strings.HasPrefix(m.Ref, op.Channel.Ref+"/messages/") {
				t.Errorf("operation %s: message %s is not its channel's", name, m.Ref)
			}
		}
	}
	for name, m := range d.Components.Messages {
		if _, ok := d.Components.Schemas[strings.TrimPrefix(m.Payload.Ref, "#/components/schemas/")]; !ok {
			t.Errorf("message %s: payload %s does not resolve", name, m.Payload.Ref)
		}
	}
}

// TestAsyncAPIPayloadsAreWhatTheCodeSends validates the code's own payload
// types, every field set, against the document's schemas: a field added to
// a Go type and not to the document fails here (additionalProperties is
// false), and so does a required field the code would leave out.
func TestAsyncAPIPayloadsAreWhatTheCodeSends(t *testing.T) {
	_, raw := readDoc(t)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("asyncapi.json", raw); err != nil {
		t.Fatal(err)
	}
	schema := func(name string) *jsonschema.Schema {
		s, err := c.Compile("asyncapi.json#/components/schemas/" + name)
		if err != nil {
			t.Fatalf("schema %s: %v", name, err)
		}
		return s
	}
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	id := uuid.New()
	cases := []struct {
		schema string
		value  any
	}{
		{"ParcelEvent", stations.EventMessage{ID: id, Carrier: "SF", TrackingNo: "SF1234567890", Direction: stations.Down,
			Kind: stations.StationArrival, State: stations.StationArrival, Station: "XP-V-0101", At: at, RecordedAt: at,
			By: "keeper:XP-V-0101(李四)", PickupCode: "3-2-4817", Note: "shelf 3", Location: &stations.Location{Lon: 101.98, Lat: 24.06}}},
		{"ParcelEvent", stations.EventMessage{ID: id, Carrier: "SF", TrackingNo: "SF1234567890", Direction: stations.Down,
			Kind: stations.KindNotified, State: stations.StationArrival, Station: "XP-V-0101", At: at, RecordedAt: at, By: "tongpei",
			PickupCode: "3-2-4817", Recipient: &stations.Person{Name: "王五", Phone: "13812345678"}}},
		{"RouteJob", dispatch.RouteJob{JobID: id, PlanID: 7, ServiceDate: "2026-12-01", Version: 1, Route: 1, Vehicle: "云P·A1234",
			Depart: at, Return: at.Add(6 * time.Hour), DistanceM: 84000, Sends: 1,
			Stops: []dispatch.JobStop{{Seq: 1, Station: "XP-V-0101", Name: "漠沙村", KeeperPhone: "13900000000", Arrival: at,
				Drop: []string{"SF/SF1234567890"}, Collect: []string{"EMS/EMS0001"}}}}},
		{"PickupJob", dispatch.PickupJob{JobID: id, PlanID: 7, ServiceDate: "2026-12-01", Hub: "XP-HUB", Sends: 2,
			Parcels: []dispatch.PickupParcel{{TrackingNo: "EMS0001", Station: "XP-V-0101", WeightG: 5000, ExpectedAt: at}}}},
		{"Manifest", stations.Manifest{Station: "XP-HUB", At: at, Parcels: []stations.Parcel{{Carrier: "SF", TrackingNo: "SF1234567890",
			Direction: stations.Down, Station: "XP-V-0101", Recipient: &stations.Person{Name: "王五", Phone: "13812345678"}, WeightG: 1200,
			SizeCM: &stations.Size{L: 30, W: 20, H: 10}, Category: stations.General}}}},
		{"Collection", stations.Collection{Station: "XP-HUB", At: at, TrackingNos: []string{"EMS0001"}}},
		{"JobAck", dispatch.CarrierAck{JobID: id}},
	}
	for _, tc := range cases {
		b, err := json.Marshal(tc.value)
		if err != nil {
			t.Fatal(err)
		}
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err := schema(tc.schema).Validate(v); err != nil {
			t.Errorf("%s: the code's payload %s breaks the document: %v", tc.schema, b, err)
		}
	}
	// And the schemas refuse: a parcel event without its id.
	var broken map[string]any
	b, _ := json.Marshal(cases[0].value)
	_ = json.Unmarshal(b, &broken)
	delete(broken, "id")
	if err := schema("ParcelEvent").Validate(broken); err == nil {
		t.Error("a parcel event without an id passes the schema")
	}
}

// TestAsyncAPIEnumsMatchTheCode keeps the scan kinds and states listed in
// the document equal to the custody machine's.
func TestAsyncAPIEnumsMatchTheCode(t *testing.T) {
	var d struct {
		Components struct {
			Schemas struct {
				ParcelEvent struct {
					Properties struct {
						Kind  struct{ Enum []string } `json:"kind"`
						State struct{ Enum []string } `json:"state"`
					} `json:"properties"`
				} `json:"ParcelEvent"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(docs.AsyncAPI, &d); err != nil {
		t.Fatal(err)
	}
	p := d.Components.Schemas.ParcelEvent.Properties
	same := func(what string, got, want []string) {
		got, want = slices.Clone(got), slices.Clone(want)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: document %v, code %v", what, got, want)
		}
	}
	same("kinds", p.Kind.Enum, append(slices.Clone(stations.ScanKinds), stations.KindNotified))
	same("states", p.State.Enum, stations.States)
	// Subjects the code builds match the channel addresses.
	addr := regexp.MustCompile(`^tongpei\.parcel\.[A-Za-z0-9_-]+\.[a-z_]+$`)
	if s := stations.Subject("SF", stations.Sorted); !addr.MatchString(s) {
		t.Errorf("parcel subject %s", s)
	}
	if s := stations.NotifySubject("XP-V-0101"); s != "tongpei.notify.XP-V-0101.notified" {
		t.Errorf("notify subject %s", s)
	}
}
