package bus

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector reports, at scrape time, how far the county centre is behind
// the carriers: messages on their stream it has not yet applied or not yet
// acknowledged, and how many ended in the dead-letter stream. A growing lag
// means a handler is failing or slow; dead letters need a person to read
// their reason.
func (c *Consumer) Collector() prometheus.Collector { return consumerCollector{c} }

type consumerCollector struct{ c *Consumer }

var (
	carrierPending = prometheus.NewDesc("tongpei_carrier_consumer_pending",
		"Carrier messages not yet delivered to the county centre's consumer (its lag).", nil, nil)
	carrierAckPending = prometheus.NewDesc("tongpei_carrier_consumer_ack_pending",
		"Carrier messages delivered but not yet applied and acknowledged.", nil, nil)
	deadLetters = prometheus.NewDesc("tongpei_dead_letters",
		"Messages held in the dead-letter stream "+StreamDLQ+".", nil, nil)
)

func (consumerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- carrierPending
	ch <- carrierAckPending
	ch <- deadLetters
}

// Collect skips a figure JetStream cannot give within a second, rather than
// making the whole scrape wait on a broker that is away.
func (cc consumerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c := cc.c
	if cons, err := c.js.Consumer(ctx, StreamCarrier, c.opts.Durable); err == nil {
		if info, err := cons.Info(ctx); err == nil {
			ch <- prometheus.MustNewConstMetric(carrierPending, prometheus.GaugeValue, float64(info.NumPending))
			ch <- prometheus.MustNewConstMetric(carrierAckPending, prometheus.GaugeValue, float64(info.NumAckPending))
		}
	}
	if s, err := c.js.Stream(ctx, StreamDLQ); err == nil {
		if info, err := s.Info(ctx); err == nil {
			ch <- prometheus.MustNewConstMetric(deadLetters, prometheus.GaugeValue, float64(info.State.Msgs))
		}
	}
}
