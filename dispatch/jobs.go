package dispatch

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"

	"github.com/tongpei/tongpei/internal/bus"
	"github.com/tongpei/tongpei/internal/errs"
)

// Job is one message a published plan owes someone: a route to the fleet
// operator, or to an express company the list of its up parcels that will
// reach the hub. It is re-sent until the recipient acknowledges it.
type Job struct {
	ID         uuid.UUID       `json:"id"`
	PlanID     int64           `json:"plan_id"`
	Kind       string          `json:"kind"` // route | pickup
	Recipient  string          `json:"recipient"`
	Subject    string          `json:"subject"`
	Payload    json.RawMessage `json:"payload"`
	CreatedAt  time.Time       `json:"created_at"`
	LastSentAt time.Time       `json:"last_sent_at"`
	Sends      int             `json:"sends"`
	AckedAt    *time.Time      `json:"acked_at"`
	AckedBy    *string         `json:"acked_by"`
}

// RouteJob is the payload of tongpei.dispatch.<operator>.route.
type RouteJob struct {
	JobID       uuid.UUID `json:"job_id"`
	PlanID      int64     `json:"plan_id"`
	ServiceDate string    `json:"service_date"`
	Version     int       `json:"version"`
	Route       int       `json:"route"`
	Vehicle     string    `json:"vehicle"`
	Depart      time.Time `json:"depart"`
	Return      time.Time `json:"return"`
	DistanceM   int64     `json:"distance_m"`
	Stops       []JobStop `json:"stops"`
	Sends       int       `json:"sends"` // 1 for the first sending, more for re-sends
}

// JobStop is a stop as the driver's app needs it.
type JobStop struct {
	Seq         int       `json:"seq"`
	Station     string    `json:"station"`
	Name        string    `json:"name"`
	KeeperPhone string    `json:"keeper_phone"`
	Arrival     time.Time `json:"arrival"`
	Drop        []string  `json:"drop"`    // carrier/tracking_no
	Collect     []string  `json:"collect"` // carrier/tracking_no
}

// PickupJob is the payload of tongpei.dispatch.<carrier>.pickup: the
// carrier's up parcels that the joint fleet brings to the hub, and when, so
// that its line-haul can collect them.
type PickupJob struct {
	JobID       uuid.UUID      `json:"job_id"`
	PlanID      int64          `json:"plan_id"`
	ServiceDate string         `json:"service_date"`
	Hub         string         `json:"hub"`
	Parcels     []PickupParcel `json:"parcels"`
	Sends       int            `json:"sends"`
}

// PickupParcel is one up parcel and when it is expected at the hub.
type PickupParcel struct {
	TrackingNo string    `json:"tracking_no"`
	Station    string    `json:"station"`
	WeightG    int64     `json:"weight_g"`
	ExpectedAt time.Time `json:"expected_at"`
}

// Publish sends a plan: in one transaction it marks the plan published,
// records one job per route for the operator and one pickup job per carrier
// with up parcels, and writes their events to the outbox. Parcels are not
// moved here: each becomes loaded when the driver scans it, through
// custody's scan path.
func (s *Service) Publish(ctx context.Context, planID int64) ([]Job, error) {
	plan, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	check := func(status string, newest int) error {
		if status == "published" {
			return errs.E(errs.Conflict, "plan %d is already published; its unacknowledged jobs are re-sent on their own", planID)
		}
		if newest != plan.Version {
			return errs.E(errs.Conflict, "plan %d is version %d of %s, but version %d exists; publish the newest", planID, plan.Version, plan.ServiceDate, newest)
		}
		return nil
	}
	if err := s.jobs.publish(ctx, planID, check, jobsFor(plan)); err != nil {
		return nil, err
	}
	if w := s.shareBg.Load(); w != nil {
		w.nudge() // its cost shares, in the background
	}
	return s.Jobs(ctx, JobFilter{PlanID: planID, Limit: 1000})
}

// jobsFor makes the jobs of a plan, with their payloads.
func jobsFor(plan *Plan) []Job {
	var jobs []Job
	pickups := map[string]*PickupJob{}
	var carriers []string
	for _, r := range plan.Routes {
		rj := RouteJob{JobID: uuid.New(), PlanID: plan.ID, ServiceDate: plan.ServiceDate, Version: plan.Version,
			Route: r.Number, Vehicle: r.Vehicle, Depart: r.Depart, Return: r.Return, DistanceM: r.DistanceM, Sends: 1}
		for _, st := range r.Stops {
			js := JobStop{Seq: st.Seq, Station: st.Station.Code, Name: st.Station.Name, KeeperPhone: st.Station.KeeperPhone,
				Arrival: st.Arrival, Drop: []string{}, Collect: []string{}}
			for _, p := range st.Drop {
				js.Drop = append(js.Drop, p.Carrier+"/"+p.TrackingNo)
			}
			for _, p := range st.Collect {
				js.Collect = append(js.Collect, p.Carrier+"/"+p.TrackingNo)
				pj := pickups[p.Carrier]
				if pj == nil {
					pj = &PickupJob{JobID: uuid.New(), PlanID: plan.ID, ServiceDate: plan.ServiceDate, Hub: plan.Hub.Code, Sends: 1}
					pickups[p.Carrier] = pj
					carriers = append(carriers, p.Carrier)
				}
				pj.Parcels = append(pj.Parcels, PickupParcel{TrackingNo: p.TrackingNo, Station: st.Station.Code, WeightG: p.WeightG, ExpectedAt: r.Return})
			}
			rj.Stops = append(rj.Stops, js)
		}
		b, _ := json.Marshal(rj)
		jobs = append(jobs, Job{ID: rj.JobID, Kind: "route", Recipient: r.Operator, Subject: bus.FamilyDispatch.Subject(r.Operator, "route"), Payload: b})
	}
	for _, c := range carriers {
		pj := pickups[c]
		b, _ := json.Marshal(pj)
		jobs = append(jobs, Job{ID: pj.JobID, Kind: "pickup", Recipient: c, Subject: bus.FamilyDispatch.Subject(c, "pickup"), Payload: b})
	}
	return jobs
}
