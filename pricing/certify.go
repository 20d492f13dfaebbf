package pricing

import (
	"context"
	"strings"
	"time"

	"github.com/tongpei/tongpei/internal/errs"
)

// Apply records a firm's application for certification.
func (s *Service) Apply(ctx context.Context, merchantID, note string) (*Certificate, error) {
	err := s.st.change(ctx, func(tx dbtx, _ *Snapshot) error {
		if err := checkMerchant(ctx, tx, merchantID); err != nil {
			return err
		}
		live, found, err := liveCert(ctx, tx, merchantID)
		if err != nil {
			return err
		}
		if found {
			return errs.E(errs.Conflict, "merchant %s already has a %s record; revoke it before applying again", merchantID, live.stored)
		}
		return insertApplication(ctx, tx, merchantID, note)
	})
	return s.current(ctx, merchantID, err)
}

// Certify grants a firm registered in the county a certificate valid for the
// given days. A pending application is granted; a lapsed certificate is
// closed as expired and replaced; a live one must be revoked first.
func (s *Service) Certify(ctx context.Context, merchantID string, req CertifyRequest, by string) (*Certificate, error) {
	from, until, err := req.check()
	if err != nil {
		return nil, err
	}
	now := s.Now()
	err = s.st.change(ctx, func(tx dbtx, _ *Snapshot) error {
		if err := checkMerchant(ctx, tx, merchantID); err != nil {
			return err
		}
		live, found, err := liveCert(ctx, tx, merchantID)
		if err != nil {
			return err
		}
		var applied int64
		switch {
		case !found:
		case live.stored == Applied:
			applied = live.id
		case live.StateAt(now) == Expired:
			if err := endCert(ctx, tx, live.id, Expired, by, "", now); err != nil {
				return err
			}
		default:
			return errs.E(errs.Conflict, "merchant %s already holds certificate %s (%s); revoke it first to issue a new one",
				merchantID, live.CertificateNo, live.stored)
		}
		_, err = grant(ctx, tx, merchantID, applied, from, until, by, req.Note, now)
		return err
	})
	return s.current(ctx, merchantID, err)
}

// Suspend stops a certificate from giving certified prices until reinstated.
func (s *Service) Suspend(ctx context.Context, merchantID, by, note string) (*Certificate, error) {
	if strings.TrimSpace(note) == "" {
		var f errs.Fields
		f.Add("note", "say why the certificate is suspended; the firm and the audit trail read it")
		return nil, f.Err()
	}
	return s.move(ctx, merchantID, Certified, Suspended, by, note)
}

// Reinstate lifts a suspension.
func (s *Service) Reinstate(ctx context.Context, merchantID, by, note string) (*Certificate, error) {
	return s.move(ctx, merchantID, Suspended, Certified, by, note)
}

// Revoke ends a firm's certification (or withdraws its application) for good.
func (s *Service) Revoke(ctx context.Context, merchantID, by, note string) (*Certificate, error) {
	return s.move(ctx, merchantID, "", Revoked, by, note)
}

// move changes the firm's live record from state want ("" any) to next.
func (s *Service) move(ctx context.Context, merchantID string, want, next CertState, by, note string) (*Certificate, error) {
	now := s.Now()
	err := s.st.change(ctx, func(tx dbtx, _ *Snapshot) error {
		live, found, err := liveCert(ctx, tx, merchantID)
		if err != nil {
			return err
		}
		if !found {
			return errs.E(errs.NotFound, "merchant %s has no certificate or application to %s", merchantID, verb(next))
		}
		if want != "" && live.StateAt(now) != want {
			return errs.E(errs.Conflict, "certificate %s is %s, not %s; it cannot be %s", live.CertificateNo, live.StateAt(now), want, next)
		}
		return endCert(ctx, tx, live.id, next, by, note, now)
	})
	return s.current(ctx, merchantID, err)
}

// current reloads after a change and answers the firm's newest record.
func (s *Service) current(ctx context.Context, merchantID string, err error) (*Certificate, error) {
	if err != nil {
		return nil, err
	}
	snap, err := s.Reload(ctx)
	if err != nil {
		return nil, err
	}
	certs := snap.Certificates(merchantID)
	if len(certs) == 0 {
		return nil, errs.E(errs.NotFound, "merchant %s has no certification record", merchantID)
	}
	return view(certs[0], s.Now()), nil
}

// Certificate is the public record behind a certificate number, with its
// state as of now (a lapsed one reads expired).
func (s *Service) Certificate(ctx context.Context, no string) (*Certificate, error) {
	c, err := s.st.certByNo(ctx, no)
	if err != nil {
		return nil, err
	}
	return view(c, s.Now()), nil
}

// Certificates is a firm's certification history, newest first.
func (s *Service) Certificates(ctx context.Context, merchantID string) ([]*Certificate, error) {
	snap, err := s.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	if !snap.KnowsMerchant(merchantID) {
		if snap, err = s.Reload(ctx); err != nil {
			return nil, err
		}
		if !snap.KnowsMerchant(merchantID) {
			return nil, errs.E(errs.NotFound, "merchant %s does not exist", merchantID)
		}
	}
	out := []*Certificate{}
	for _, c := range snap.Certificates(merchantID) {
		out = append(out, view(c, s.Now()))
	}
	return out, nil
}

// view is a copy with the state as of t.
func view(c *Certificate, t time.Time) *Certificate {
	v := *c
	v.State = c.StateAt(t)
	return &v
}

func checkMerchant(ctx context.Context, q dbtx, id string) error {
	exists, registered, err := merchantOf(ctx, q, id)
	switch {
	case err != nil:
		return err
	case !exists:
		return errs.E(errs.NotFound, "merchant %s does not exist; register the firm first", id)
	case !registered:
		return errs.E(errs.Invalid, "merchant %s is not registered in the county; only firms registered in county %s can be certified", id, CountyCode)
	}
	return nil
}

func verb(s CertState) string {
	switch s {
	case Suspended:
		return "suspend"
	case Certified:
		return "reinstate"
	}
	return "revoke"
}
