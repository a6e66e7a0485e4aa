/**
 * Fairness between locations: each location has a virtual clock, and each delivery it queues
 * moves that clock on by `spacingMs`. A delivery's claim order is max(arrival, its location's clock),
 * so a burst of one location is spread out in the order while another location's event, arriving
 * in the middle of it, is claimed before the rest of the burst. The order is not a due time: a
 * delivery is due at once, so a location alone is delivered at full speed. Clocks live in the
 * process (several relays each spread what they receive) and are forgotten once in the past.
 */
export class LocationClocks {
  private clocks = new Map<string, number>();

  constructor(private spacingMs: number) {}

  orderFor(locationId: string, now: number): number {
    return Math.max(now, this.clocks.get(locationId) ?? 0);
  }

  queued(locationId: string, order: number, deliveries: number, now: number): void {
    if (!deliveries || !this.spacingMs) return;
    this.clocks.set(locationId, order + deliveries * this.spacingMs);
    if (this.clocks.size > 10_000) for (const [k, v] of this.clocks) if (v <= now) this.clocks.delete(k);
  }
}
