package io.dormouse.gateway.peers;

import io.dormouse.gateway.backend.Backend;
import io.dormouse.gateway.cluster.PeerState;
import io.dormouse.gateway.cluster.SlotShare;
import io.dormouse.gateway.fleet.EndpointTraffic;
import io.dormouse.gateway.fleet.Fleet;
import io.dormouse.gateway.ratelimit.ProjectLimiter;
import io.dormouse.gateway.routing.EndpointRef;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway replicas' exchange of demand, on the management port: every period each replica posts
 * its {@link PeerState} to every peer its Service lists, authenticated with the shared secret, and
 * from what it last heard of each sets its share of every project's limits ({@link LimitShares})
 * and of every engine replica's slots ({@link SlotShare}). A peer not heard from within the
 * timeout, or leaving, no longer counts; heard from none, a replica falls back to an even split
 * among the replicas its Service lists. No message of a peer can crash it: each is checked whole
 * before it is used ({@link PeerInbox}); messages go out through {@link PeerOutbox}, and the shares
 * come from {@link LimitShares}.
 */
public final class PeerExchange implements Handler<HttpServerRequest>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PeerExchange.class);

  /** How the exchange runs; {@code secret} null or blank turns it off (each takes limit / N). */
  public record Settings(String self, String secret, Duration period, Duration peerTimeout) {}

  private record Heard(PeerState state, long atMillis) {}

  private final Vertx vertx;
  private final Settings settings;
  private final Fleet fleet;
  private final ProjectLimiter limiter;
  private final Clock clock;
  private final byte[] secret;
  private final PeerInbox inbox;
  private final PeerOutbox outbox;
  private final long startedAt;
  private final Map<String, Heard> heard = new HashMap<>();
  private final Map<EndpointRef, Map<String, Integer>> held = new HashMap<>();
  private boolean coordinated;
  private long timer = -1;
  private boolean closed;

  public PeerExchange(
      Vertx vertx, Settings settings, Fleet fleet, ProjectLimiter limiter, Clock clock) {
    this.vertx = vertx;
    this.settings = settings;
    this.fleet = fleet;
    this.limiter = limiter;
    this.clock = clock;
    this.secret =
        settings.secret() == null || settings.secret().isBlank()
            ? null
            : settings.secret().getBytes(StandardCharsets.UTF_8);
    this.inbox = new PeerInbox(secret, this::received);
    this.outbox = new PeerOutbox(vertx, settings.self(), settings.secret(), settings.peerTimeout());
    this.startedAt = clock.millis();
  }

  public boolean enabled() {
    return secret != null;
  }

  /** Starts the periodic exchange; without a secret it only keeps the even split current. */
  public synchronized void start() {
    if (!enabled()) {
      LOG.warn(
          "peer exchange off (no shared secret): each gateway replica enforces limit / replicas");
    }
    schedule();
  }

  private void schedule() {
    long period = settings.period().toMillis();
    long delay = period - Math.floorMod(clock.millis(), period);
    timer = vertx.setTimer(Math.max(1, delay), id -> tick());
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    try {
      recompute();
      if (enabled()) {
        send(state(false));
      }
    } catch (RuntimeException e) {
      LOG.warn("peer exchange: {}", e.toString());
    }
    schedule();
  }

  /** {@code POST /peer/v1/state} from a peer. */
  @Override
  public void handle(HttpServerRequest request) {
    inbox.handle(request);
  }

  synchronized void received(PeerState state) {
    if (state.id().equals(settings.self())) {
      return;
    }
    heard.put(state.id(), new Heard(state, clock.millis()));
    recomputeSlots(clock.millis());
  }

  /** Tells the peers this replica is leaving, so they stop counting it at once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    vertx.cancelTimer(timer);
    if (enabled()) {
      send(state(true));
    }
    outbox.close();
  }

  // -- what this replica says

  private PeerState state(boolean leaving) {
    long now = clock.millis();
    List<PeerState.LimitDemand> limits = new ArrayList<>();
    for (ProjectLimiter.Demand d : lastDemand) {
      limits.add(
          new PeerState.LimitDemand(
              d.key().project(),
              d.key().endpoint(),
              d.requests(),
              d.tokens(),
              d.remainingRequests(),
              d.remainingTokens()));
    }
    Map<String, Integer> slotDemand = new HashMap<>();
    Map<String, Integer> claims = new HashMap<>();
    fleet
        .allTraffic()
        .forEach(
            (ref, t) -> {
              EndpointTraffic.Load load = t.load();
              slotDemand.put(ref.toString(), load.demand());
              Map<String, Integer> mine = held.getOrDefault(ref, Map.of());
              for (Backend b : load.serving()) {
                claims.put(
                    b.id(),
                    Math.max(
                        mine.getOrDefault(b.id(), 0), load.inFlight().getOrDefault(b.id(), 0)));
              }
            });
    return new PeerState(
        settings.self(), epoch(now), members(now), leaving, limits, slotDemand, claims);
  }

  private void send(PeerState state) {
    outbox.send(state, fleet.peers());
  }

  // -- what this replica concludes

  private List<ProjectLimiter.Demand> lastDemand = List.of();

  private long epoch(long nowMillis) {
    return nowMillis / settings.period().toMillis();
  }

  /** This replica and every peer heard within the timeout that is not leaving, sorted. */
  private List<String> members(long now) {
    TreeSet<String> members = new TreeSet<>();
    members.add(settings.self());
    heard.forEach(
        (id, h) -> {
          if (!h.state().leaving() && now - h.atMillis() <= settings.peerTimeout().toMillis()) {
            members.add(id);
          }
        });
    return List.copyOf(members);
  }

  private int listed() {
    return Math.max(1, fleet.peers().size());
  }

  private void recompute() {
    long now = clock.millis();
    heard.values().removeIf(h -> now - h.atMillis() > 10 * settings.peerTimeout().toMillis());
    List<String> members = members(now);
    limiter.defaultShare(listed());
    if (members.size() <= 1) {
      if (coordinated) {
        LOG.info("peer exchange: no peer heard; each replica enforces limit / {}", listed());
        coordinated = false;
      }
      limiter.forgetShares();
    } else {
      if (!coordinated) {
        LOG.info("peer exchange: sharing limits with {}", members);
        coordinated = true;
      }
      // the demand this replica sent last period, as its peers see it: every replica then
      // splits the same demands, and the shares add up to the limit
      shareLimits(members);
    }
    lastDemand = limiter.demand();
    recomputeSlots(now);
  }

  private void shareLimits(List<String> members) {
    Map<String, PeerState> states = new HashMap<>();
    for (String m : members) {
      Heard h = heard.get(m);
      if (h != null) {
        states.put(m, h.state());
      }
    }
    LimitShares.apply(limiter, settings.self(), members, states, lastDemand);
  }

  private void recomputeSlots(long now) {
    List<String> members = members(now);
    if (members.size() <= 1 && listed() <= 1) {
      if (!held.isEmpty()) {
        held.clear();
        fleet.allTraffic().values().forEach(t -> t.slots(null));
      }
      return;
    }
    Map<String, PeerState> peers = new HashMap<>();
    heard.forEach((id, h) -> peers.put(id, h.state()));
    SlotShare.View view =
        new SlotShare.View(
            settings.self(),
            epoch(now),
            members,
            peers,
            listed(),
            now - startedAt >= settings.peerTimeout().toMillis());
    fleet
        .allTraffic()
        .forEach(
            (ref, t) -> {
              EndpointTraffic.Load load = t.load();
              Map<String, Integer> mine = held.getOrDefault(ref, Map.of());
              Map<String, SlotShare.Backend> backends = new HashMap<>();
              for (Backend b : load.serving()) {
                backends.put(
                    b.id(),
                    new SlotShare.Backend(
                        ref.toString(),
                        load.capPerReplica(),
                        mine.getOrDefault(b.id(), 0),
                        load.inFlight().getOrDefault(b.id(), 0)));
              }
              Map<String, Integer> next =
                  SlotShare.next(view, backends, Map.of(ref.toString(), load.demand()));
              held.put(ref, next);
              t.slots(next);
            });
  }
}
