package solverbus_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/tongpei/tongpei/dispatch/solverbus"
	"github.com/tongpei/tongpei/dispatch/vrp"
)

// county is a random capacitated problem of n stations around a hub,
// large enough that the search keeps improving for seconds.
func county(n int, seed uint64) *vrp.Instance {
	r := rand.New(rand.NewPCG(seed, 1))
	in := &vrp.Instance{Name: "test county", Dims: 1, DepotWindow: vrp.TimeWindow{Start: 0, End: vrp.Horizon}}
	xy := make([][2]float64, n+1)
	xy[0] = [2]float64{500, 500}
	for i := 1; i <= n; i++ {
		xy[i] = [2]float64{r.Float64() * 1000, r.Float64() * 1000}
		in.Stops = append(in.Stops, vrp.Stop{ID: "s" + string(rune('A'+i%26)), Delivery: vrp.Amount{1 + r.Int64N(20)}, Service: 10})
	}
	in.Distance = make([]int64, (n+1)*(n+1))
	for i := range xy {
		for j := range xy {
			in.Distance[i*(n+1)+j] = int64(math.Round(math.Hypot(xy[i][0]-xy[j][0], xy[i][1]-xy[j][1])))
		}
	}
	in.VehicleTypes = []vrp.VehicleType{{Name: "van", Count: vrp.Unlimited, Capacity: vrp.Amount{60}, FixedCost: 100, DistanceCost: 1, ShiftEnd: vrp.Horizon}}
	return in
}

// workerStats asks every worker for its stats (micro's $SRV.STATS) and
// returns them by worker id.
func workerStats(t testing.TB, nc *nats.Conn) map[string]solverbus.WorkerStats {
	t.Helper()
	subject, err := micro.ControlSubject(micro.StatsVerb, solverbus.ServiceName, "")
	if err != nil {
		t.Fatal(err)
	}
	inbox := nc.NewInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	if err := nc.PublishRequest(subject, inbox, nil); err != nil {
		t.Fatal(err)
	}
	out := map[string]solverbus.WorkerStats{}
	for {
		m, err := sub.NextMsg(300 * time.Millisecond)
		if err != nil {
			return out
		}
		var st micro.Stats
		if err := json.Unmarshal(m.Data, &st); err != nil || len(st.Endpoints) == 0 {
			t.Fatalf("stats %s: %v", m.Data, err)
		}
		var ws solverbus.WorkerStats
		if err := json.Unmarshal(st.Endpoints[0].Data, &ws); err != nil {
			t.Fatalf("stats data %s: %v", st.Endpoints[0].Data, err)
		}
		out[st.ID] = ws
	}
}

// eventually polls cond until it holds or within passes.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
