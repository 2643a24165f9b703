package io.dormouse.ledger.store;

import io.dormouse.ledger.rows.UsageRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The id of each (namespace, endpoint, served name, model) a usage row refers to, registered on
 * first use. Ids found inside a transaction are kept only once it commits.
 */
final class RouteCache {

  private static final String UPSERT =
      "INSERT INTO route (namespace, endpoint, served_name, model) VALUES (?, ?, ?, ?)"
          + " ON CONFLICT (namespace, endpoint, served_name, model)"
          + " DO UPDATE SET model = EXCLUDED.model RETURNING id";

  private final Map<List<String>, Integer> ids = new ConcurrentHashMap<>();

  Pending pending() {
    return new Pending();
  }

  final class Pending {
    private final Map<List<String>, Integer> found = new HashMap<>();

    int idOf(Connection c, UsageRow u) throws SQLException {
      List<String> key = List.of(u.namespace(), u.endpoint(), u.servedName(), u.model());
      Integer id = ids.get(key);
      if (id == null) {
        id = found.get(key);
      }
      if (id == null) {
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
          ps.setString(1, u.namespace());
          ps.setString(2, u.endpoint());
          ps.setString(3, u.servedName());
          ps.setString(4, u.model());
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getInt(1);
          }
        }
        found.put(key, id);
      }
      return id;
    }

    void committed() {
      ids.putAll(found);
    }
  }
}
