package bus

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Unsent counts the outbox rows not yet published.
func Unsent(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n)
	return n, err
}

// sentByStream counts the events marked sent in [since, until) by the stream
// JetStream stored them in ("" for those sent before streams were recorded).
func sentByStream(ctx context.Context, pool *pgxpool.Pool, since, until time.Time) (map[string]int, error) {
	rows, err := pool.Query(ctx, `
		SELECT coalesce(stream, ''), count(*) FROM outbox
		WHERE sent_at >= $1 AND sent_at < $2 GROUP BY 1`, since, until)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		counts[name] = n
	}
	return counts, rows.Err()
}

// markLost marks unsent the events of stream sent in [since, until) that
// the stream st no longer holds, and counts them: all of them when the
// stream is gone or was created after they were sent; else those past its
// last sequence, at a sequence deleted inside it, or at a sequence a later
// event took. Events before its first sequence were dropped by its limits
// on purpose and stay as they are.
func markLost(ctx context.Context, pool *pgxpool.Pool, stream string, since, until time.Time, st streamState) (int, error) {
	created := st.created
	if !st.exists {
		created = until.Add(time.Hour) // every event predates a stream that is not there
	}
	deleted := make([]int64, len(st.deleted))
	for i, d := range st.deleted {
		deleted[i] = int64(d)
	}
	tag, err := pool.Exec(ctx, `
		UPDATE outbox o SET sent_at = NULL, stream = NULL, stream_seq = NULL
		WHERE o.stream = $1 AND o.sent_at >= $2 AND o.sent_at < $3
		  AND (o.sent_at < $4
		       OR (o.stream_seq >= $5 AND (o.stream_seq > $6 OR o.stream_seq = ANY($7)
		           OR EXISTS (SELECT 1 FROM outbox n WHERE n.stream = o.stream AND n.stream_seq = o.stream_seq AND n.seq > o.seq))))`,
		stream, since, until, created, int64(st.first), int64(st.last), deleted)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}
