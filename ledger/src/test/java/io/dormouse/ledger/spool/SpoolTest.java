package io.dormouse.ledger.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.dormouse.ledger.rows.JournalEntry;
import io.dormouse.ledger.rows.LedgerRow;
import io.dormouse.ledger.rows.NodeInterval;
import io.dormouse.ledger.rows.UsageRow;
import io.dormouse.ledger.testing.Rows;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

  @TempDir Path dir;

  private static final Instant T = Instant.parse("2025-03-10T10:00:00.123456789Z");

  @Test
  void everyKindOfRowComesBackEqualAndInOrder() throws IOException {
    List<LedgerRow> rows =
        List.of(
            Rows.usage("a", T),
            new UsageRow(
                "b", T, "ns", "e", "e", "m", null, null, "p", "k", 0, 0, true, 504, 9, null, 9,
                false),
            new JournalEntry(UUID.randomUUID(), T, "ns", "e", "Waking", "spot", 1, null, "woke"),
            Rows.gpu("uid", "e", "spot", 2, "1.234567", T, null),
            Rows.gpu("uid", "e", "spot", 2, "1.234567", T, T.plusSeconds(60)),
            new NodeInterval("n1", "node-1", "spot", 8, new BigDecimal("0.5"), "EUR", T, null));
    try (Spool spool = new Spool(dir)) {
      spool.append(rows.subList(0, 3));
      spool.append(rows.subList(3, 6));
      assertThat(spool.rows()).isEqualTo(6);
      Spool.Chunk first = spool.peek(4);
      assertThat(first.rows()).containsExactlyElementsOf(rows.subList(0, 4));
      spool.commit(first);
      Spool.Chunk rest = spool.peek(100);
      assertThat(rest.rows()).containsExactlyElementsOf(rows.subList(4, 6));
      spool.commit(rest);
      assertThat(spool.isEmpty()).isTrue();
    }
    assertThat(segments()).isEmpty();
  }

  @Test
  void rowsNotCommittedAreThereAfterARestart() throws IOException {
    try (Spool spool = new Spool(dir)) {
      spool.append(List.of(Rows.usage("a", T), Rows.usage("b", T)));
      spool.peek(10); // read but not committed: the database never confirmed them
    }
    try (Spool again = new Spool(dir)) {
      assertThat(again.rows()).isEqualTo(2);
      assertThat(again.peek(10).rows())
          .extracting(r -> ((UsageRow) r).requestId())
          .containsExactly("a", "b");
    }
  }

  @Test
  void aRecordTornByACrashEndsTheSegmentAndTheRestIsKept() throws IOException {
    try (Spool spool = new Spool(dir)) {
      spool.append(List.of(Rows.usage("a", T), Rows.usage("b", T)));
    }
    Path segment = segments().get(0);
    // a kill -9 in the middle of the next append: a length and half a payload
    Files.write(segment, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 5, 6}, StandardOpenOption.APPEND);
    try (Spool again = new Spool(dir)) {
      assertThat(again.rows()).isEqualTo(2);
      again.append(List.of(Rows.usage("c", T)));
      List<String> ids = new ArrayList<>();
      while (!again.isEmpty()) {
        Spool.Chunk chunk = again.peek(10);
        chunk.rows().forEach(r -> ids.add(((UsageRow) r).requestId()));
        again.commit(chunk);
      }
      assertThat(ids).containsExactly("a", "b", "c");
    }
  }

  @Test
  void aCorruptedRecordIsNotReplayed() throws IOException {
    try (Spool spool = new Spool(dir)) {
      spool.append(List.of(Rows.usage("a", T)));
      spool.append(List.of(Rows.usage("b", T)));
    }
    Path segment = segments().get(0);
    byte[] bytes = Files.readAllBytes(segment);
    bytes[bytes.length - 3] ^= 0x5a; // flip bits in the last record's payload
    Files.write(segment, bytes);
    try (Spool again = new Spool(dir)) {
      assertThat(again.peek(10).rows())
          .extracting(r -> ((UsageRow) r).requestId())
          .containsExactly("a");
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".spool")).sorted().toList();
    }
  }
}
