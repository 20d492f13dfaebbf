package bus_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/bus/bustest"
	"github.com/tongpei/tongpei/internal/tenant"
)

// With per-county subjects the consumer reads every county's carrier
// events and hands each to the handler working for the county its subject
// names; an event of a county that is not registered, or whose subject
// names no county, is dead-lettered in that county with the reason, and a
// failure to tell whether a county is registered is retried.
func TestConsumerAppliesEachEventInItsCounty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := bustest.Open(t)
	if err := bus.EnsureStreamsIn(ctx, b.JS, perCounty, 0); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	applied := map[uuid.UUID]string{} // id → county/carrier/kind
	lookups := 0
	known := func(_ context.Context, county string) (bool, error) {
		mu.Lock()
		defer mu.Unlock()
		if lookups++; lookups == 1 {
			return false, errors.New("database busy")
		}
		return county == countyA || county == countyB, nil
	}
	handle := func(ctx context.Context, carrier string, id uuid.UUID, kind string, _ json.RawMessage) error {
		mu.Lock()
		defer mu.Unlock()
		applied[id] = tenant.From(ctx) + "/" + carrier + "/" + kind
		return nil
	}
	if err := bus.NewConsumer(b.JS, handle, bus.ConsumerOptions{Layout: perCounty}).Start(ctx); err == nil {
		t.Fatal("a per-county consumer started without Known")
	}
	startConsumerWith(t, b, handle, bus.ConsumerOptions{Layout: perCounty, Known: known})

	inA, inB := uuid.New(), uuid.New()
	report := func(county, carrier string) string {
		return perCounty.In(bus.FamilyCarrier, county).Subject(carrier, "manifest")
	}
	publish(t, b, report(countyA, "ZTO"), inA.String(), `{}`)
	publish(t, b, report(countyB, "ZTO"), inB.String(), `{}`)
	publish(t, b, report(countyC, "ZTO"), uuid.NewString(), `{}`)            // not registered
	publish(t, b, report("county", "ZTO"), uuid.NewString(), `{}`)           // not a county code
	publish(t, b, "tongpei."+countyA+".carrier.ZTO", uuid.NewString(), `{}`) // no kind

	eventually(t, 10*time.Second, "three dead letters", func() bool { return len(dlq(t, b)) == 3 })
	eventually(t, 10*time.Second, "consumer settled", func() bool { return settled(t, b) })
	mu.Lock()
	defer mu.Unlock()
	if len(applied) != 2 || applied[inA] != countyA+"/ZTO/manifest" || applied[inB] != countyB+"/ZTO/manifest" {
		t.Errorf("applied %v, want A's and B's event each in its county", applied)
	}
	want := map[string]string{
		"county " + countyC + " is not registered": "tongpei." + countyC + ".dlq.ZTO",
		"not a six-digit GB/T 2260 code":           "tongpei.county.dlq.ZTO",
		"is not tongpei.<county>.carrier.":         "tongpei." + countyA + ".dlq.ZTO",
	}
	checkDeadLetters(t, b, want)
}
