/** The webhook outbox: durable, ordered per (subscriber, endpoint), delivered at least once. */
package io.dormouse.ledger.outbox;
