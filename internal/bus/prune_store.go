package bus

import (
	"context"
)

// pruneOnce deletes every published row past KeepSent.
func (r *Relay) pruneOnce(ctx context.Context) error {
	for {
		tag, err := r.pool.Exec(ctx, `
			DELETE FROM outbox WHERE seq IN (
				SELECT seq FROM outbox WHERE sent_at < now() - $1::interval LIMIT 5000)`,
			r.opts.KeepSent)
		if err != nil || tag.RowsAffected() < 5000 {
			return err
		}
	}
}
