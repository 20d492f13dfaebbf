package main

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Bounds of the CLI's patience with a busy server.
const (
	maxRetries    = 5
	maxRetryAfter = 30 * time.Second
)

// doPolitely sends the request made by newReq, and when a busy server
// refuses it (503 or 429 with Retry-After) waits the time it states (at
// most 30 s) and sends it again, up to 5 times. Such a refusal comes before
// any work, and scans carry their ids, so sending again is safe.
func doPolitely(ctx context.Context, client *http.Client, newReq func() (*http.Request, error)) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		req, err := newReq()
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		wait, ok := retryAfterOf(resp)
		if !ok || attempt >= maxRetries {
			return resp, nil
		}
		resp.Body.Close()
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// retryAfterOf reads the wait a 503 or 429 asks for, in seconds (the form
// tongpei sends; an HTTP date is not followed).
func retryAfterOf(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusServiceUnavailable && resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	s, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || s < 0 {
		return 0, false
	}
	return min(time.Duration(s)*time.Second, maxRetryAfter), true
}
