package kpi

import (
	"context"
	"strings"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Statuses of a candidate along §四: reviewed, then on public notice for
// NoticeDays working days, then payable.
const (
	StatusCandidate = "candidate"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusOnNotice  = "on_notice"
	StatusPayable   = "payable"
)

// Round is one reward round: the candidates of a 12-month window as they
// stood when it was opened, and their review and notice.
type Round struct {
	ID          int64            `json:"id"`
	Window      Window           `json:"window"`
	BudgetFen   int64            `json:"budget_fen"`
	EligibleFen int64            `json:"eligible_fen"`
	OverByFen   int64            `json:"over_by_fen"`
	CreatedBy   string           `json:"created_by"`
	CreatedAt   time.Time        `json:"created_at"`
	NoticeStart string           `json:"notice_start,omitempty"`
	NoticeEnd   string           `json:"notice_end,omitempty"`
	Candidates  []RoundCandidate `json:"candidates"`
}

// RoundCandidate is a candidate with its review.
type RoundCandidate struct {
	Candidate
	Status     string     `json:"status"`
	Reason     string     `json:"reason,omitempty"`
	ReviewedBy string     `json:"reviewed_by,omitempty"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
	decision   string
}

// OpenRound takes the candidates of the 12 months from firstMonth.
func (s *Service) OpenRound(ctx context.Context, by, firstMonth string) (Round, error) {
	w, err := YearFrom(firstMonth)
	if err != nil {
		return Round{}, errs.Field("first_month", "must be YYYY-MM, the first of the 12 months, not %q", firstMonth)
	}
	vols, err := s.Volumes(ctx, w)
	if err != nil {
		return Round{}, err
	}
	r := Reward(toStationVolumes(vols), BudgetFen)
	if len(r.Candidates) == 0 {
		return Round{}, errs.E(errs.Conflict, "no station reaches CNY 200,000 in %s..%s; import the sales first", w.First, w.Last)
	}
	id, err := s.st.insertRound(ctx, by, w, r)
	if err != nil {
		return Round{}, err
	}
	return s.Round(ctx, id)
}

// Review approves or rejects one candidate; a named reviewer is required,
// and a reason for a rejection. Reviews close when the notice starts.
func (s *Service) Review(ctx context.Context, roundID int64, station, decision, reason, reviewer string) (Round, error) {
	var f errs.Fields
	reviewer, reason = strings.TrimSpace(reviewer), strings.TrimSpace(reason)
	if decision != "approve" && decision != "reject" {
		f.Add("decision", "must be approve or reject, not %q", decision)
	}
	if reviewer == "" || len(reviewer) > 100 {
		f.Add("reviewer", "name the person who reviewed, e.g. 张伟 (县商务局)")
	}
	if decision == "reject" && reason == "" {
		f.Add("reason", "say why the station is rejected")
	}
	if len(reason) > 1000 {
		f.Add("reason", "at most 1000 bytes")
	}
	if err := f.Err(); err != nil {
		return Round{}, err
	}
	d := StatusApproved
	if decision == "reject" {
		d = StatusRejected
	}
	if err := s.st.review(ctx, roundID, station, d, reason, reviewer); err != nil {
		return Round{}, err
	}
	return s.Round(ctx, roundID)
}

// StartNotice puts the approved candidates on public notice from start
// (YYYY-MM-DD) once every candidate is reviewed.
func (s *Service) StartNotice(ctx context.Context, roundID int64, by, start string) (Round, error) {
	first, last, err := s.NoticeSpan(ctx, start)
	if err != nil {
		return Round{}, err
	}
	if err := s.st.startNotice(ctx, roundID, by, first, last); err != nil {
		return Round{}, err
	}
	return s.Round(ctx, roundID)
}

// Round reads a round with each candidate's status as of now.
func (s *Service) Round(ctx context.Context, id int64) (Round, error) {
	r, err := s.st.round(ctx, id)
	if err != nil {
		return Round{}, err
	}
	today := s.Now().In(county).Format(time.DateOnly)
	for i := range r.Candidates {
		c := &r.Candidates[i]
		c.Status = StatusCandidate
		if c.decision != "" {
			c.Status = c.decision
		}
		if c.decision == StatusApproved && r.NoticeStart != "" {
			c.Status = StatusOnNotice
			if today > r.NoticeEnd {
				c.Status = StatusPayable
			}
		}
	}
	return r, nil
}

// Rounds lists the newest 100 rounds, newest first, each as Round reads it,
// so the /kpi page can show where each review stands.
func (s *Service) Rounds(ctx context.Context) ([]Round, error) {
	ids, err := s.st.roundIDs(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Round, 0, len(ids))
	for _, id := range ids {
		r, err := s.Round(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// Notice is a round as the public notice page shows it: only the approved
// stations, their volumes, tiers and rewards, and the notice period.
type Notice struct {
	RoundID  int64            `json:"round_id"`
	Window   Window           `json:"window"`
	Start    string           `json:"notice_start"`
	End      string           `json:"notice_end"`
	Open     bool             `json:"open"`
	Stations []RoundCandidate `json:"stations"`
}

// Notices lists every round that has been on public notice, newest first.
func (s *Service) Notices(ctx context.Context) ([]Notice, error) {
	ids, err := s.st.noticedRounds(ctx)
	if err != nil {
		return nil, err
	}
	today := s.Now().In(county).Format(time.DateOnly)
	out := []Notice{}
	for _, id := range ids {
		r, err := s.Round(ctx, id)
		if err != nil {
			return nil, err
		}
		n := Notice{RoundID: r.ID, Window: r.Window, Start: r.NoticeStart, End: r.NoticeEnd,
			Open: today >= r.NoticeStart && today <= r.NoticeEnd, Stations: []RoundCandidate{}}
		for _, c := range r.Candidates {
			if c.decision == StatusApproved {
				c.ReviewedBy, c.ReviewedAt = "", nil
				n.Stations = append(n.Stations, c)
			}
		}
		out = append(out, n)
	}
	return out, nil
}

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	Seq     int64     `json:"seq"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Action  string    `json:"action"`
	Subject string    `json:"subject"`
	Detail  any       `json:"detail"`
}

// Audit lists the log, oldest first, optionally of one subject ("round:3").
func (s *Service) Audit(ctx context.Context, subject string) ([]AuditEntry, error) {
	return s.st.auditLog(ctx, subject)
}

func toStationVolumes(vols []Volume) []StationVolume {
	out := make([]StationVolume, len(vols))
	for i, v := range vols {
		out[i] = StationVolume{Station: v.Station, Name: v.Name, Township: v.Township, VolumeFen: v.VolumeFen}
	}
	return out
}
