package io.dormouse.ledger.spool;

import io.dormouse.ledger.rows.GpuInterval;
import io.dormouse.ledger.rows.JournalEntry;
import io.dormouse.ledger.rows.LedgerRow;
import io.dormouse.ledger.rows.NodeInterval;
import io.dormouse.ledger.rows.UsageRow;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** The spool's binary form of each row: a type byte, then the fields in order. */
final class RowCodec {

  private static final byte USAGE = 1;
  private static final byte JOURNAL = 2;
  private static final byte GPU = 3;
  private static final byte NODE = 4;

  private RowCodec() {}

  static void write(DataOutput out, LedgerRow row) throws IOException {
    if (row instanceof UsageRow u) {
      out.writeByte(USAGE);
      out.writeUTF(u.requestId());
      instant(out, u.at());
      out.writeUTF(u.namespace());
      out.writeUTF(u.endpoint());
      out.writeUTF(u.servedName());
      out.writeUTF(u.model());
      string(out, u.tier());
      string(out, u.backend());
      out.writeUTF(u.project());
      out.writeUTF(u.keyId());
      out.writeInt(u.promptTokens());
      out.writeInt(u.completionTokens());
      out.writeBoolean(u.usageEstimated());
      out.writeShort(u.status());
      out.writeInt(u.latencyMillis());
      integer(out, u.ttfbMillis());
      out.writeInt(u.wakeWaitMillis());
      out.writeBoolean(u.streamed());
    } else if (row instanceof JournalEntry j) {
      out.writeByte(JOURNAL);
      out.writeLong(j.id().getMostSignificantBits());
      out.writeLong(j.id().getLeastSignificantBits());
      instant(out, j.at());
      out.writeUTF(j.namespace());
      out.writeUTF(j.endpoint());
      out.writeUTF(j.kind());
      string(out, j.tier());
      integer(out, j.replicas());
      string(out, j.reason());
      out.writeUTF(j.message());
    } else if (row instanceof GpuInterval g) {
      out.writeByte(GPU);
      out.writeUTF(g.podUid());
      out.writeUTF(g.namespace());
      out.writeUTF(g.endpoint());
      out.writeUTF(g.tier());
      out.writeUTF(g.pod());
      out.writeUTF(g.node());
      out.writeInt(g.gpus());
      out.writeUTF(g.pricePerGpuHour().toPlainString());
      out.writeUTF(g.currency());
      instant(out, g.startedAt());
      nullableInstant(out, g.endedAt());
    } else if (row instanceof NodeInterval n) {
      out.writeByte(NODE);
      out.writeUTF(n.nodeUid());
      out.writeUTF(n.node());
      out.writeUTF(n.tier());
      out.writeInt(n.gpus());
      out.writeUTF(n.pricePerGpuHour().toPlainString());
      out.writeUTF(n.currency());
      instant(out, n.startedAt());
      nullableInstant(out, n.endedAt());
    } else {
      throw new IllegalArgumentException("unknown row " + row.getClass());
    }
  }

  static LedgerRow read(DataInput in) throws IOException {
    byte type = in.readByte();
    switch (type) {
      case USAGE:
        return new UsageRow(
            in.readUTF(),
            instant(in),
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            string(in),
            string(in),
            in.readUTF(),
            in.readUTF(),
            in.readInt(),
            in.readInt(),
            in.readBoolean(),
            in.readShort(),
            in.readInt(),
            integer(in),
            in.readInt(),
            in.readBoolean());
      case JOURNAL:
        return new JournalEntry(
            new UUID(in.readLong(), in.readLong()),
            instant(in),
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            string(in),
            integer(in),
            string(in),
            in.readUTF());
      case GPU:
        return new GpuInterval(
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            in.readInt(),
            new BigDecimal(in.readUTF()),
            in.readUTF(),
            instant(in),
            nullableInstant(in));
      case NODE:
        return new NodeInterval(
            in.readUTF(),
            in.readUTF(),
            in.readUTF(),
            in.readInt(),
            new BigDecimal(in.readUTF()),
            in.readUTF(),
            instant(in),
            nullableInstant(in));
      default:
        throw new IOException("unknown row type " + type + " in the spool");
    }
  }

  private static void string(DataOutput out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static String string(DataInput in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static void integer(DataOutput out, Integer i) throws IOException {
    out.writeBoolean(i != null);
    if (i != null) {
      out.writeInt(i);
    }
  }

  private static Integer integer(DataInput in) throws IOException {
    return in.readBoolean() ? in.readInt() : null;
  }

  private static void instant(DataOutput out, Instant t) throws IOException {
    out.writeLong(t.getEpochSecond());
    out.writeInt(t.getNano());
  }

  private static Instant instant(DataInput in) throws IOException {
    return Instant.ofEpochSecond(in.readLong(), in.readInt());
  }

  private static void nullableInstant(DataOutput out, Instant t) throws IOException {
    out.writeBoolean(t != null);
    if (t != null) {
      instant(out, t);
    }
  }

  private static Instant nullableInstant(DataInput in) throws IOException {
    return in.readBoolean() ? instant(in) : null;
  }
}
