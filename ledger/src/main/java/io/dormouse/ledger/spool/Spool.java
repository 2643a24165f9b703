package io.dormouse.ledger.spool;

import io.dormouse.ledger.rows.LedgerRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only, fsynced file of rows waiting for the database, read back in the order written.
 *
 * <p>Rows go to numbered segment files ({@code 0000000000000001.spool}, ...), each record framed as
 * length, CRC-32 and payload. A record torn by a crash mid-write fails its check and ends the
 * segment there. A segment is deleted once every row of it is in the database; after a restart the
 * oldest segment is replayed from its start, which is harmless because every write of the ledger is
 * idempotent. Not thread-safe: the writer's thread is its only user.
 */
public final class Spool implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final String SUFFIX = ".spool";
  private static final long SEGMENT_BYTES = 8L << 20;
  private static final int MAX_RECORD = 1 << 20;

  private final Path directory;

  /** Segment number → rows in it not yet handed out by {@link #peek}. */
  private final TreeMap<Long, Integer> segments = new TreeMap<>();

  private FileChannel appendChannel;
  private long appendSegment;
  private long readSegment = -1;
  private long readOffset;
  private long rows;

  /** Opens the spool in {@code directory}, creating it, and counts what an earlier run left. */
  public Spool(Path directory) throws IOException {
    this.directory = directory;
    Files.createDirectories(directory);
    try (Stream<Path> files = Files.list(directory)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
        long number = number(p);
        if (number < 0) {
          continue;
        }
        int count = scan(p).size();
        if (count == 0) {
          Files.deleteIfExists(p);
        } else {
          segments.put(number, count);
          rows += count;
        }
      }
    }
    appendSegment = segments.isEmpty() ? 1 : segments.lastKey() + 1;
    if (rows > 0) {
      LOG.info("ledger spool {}: {} rows left by an earlier run, to replay", directory, rows);
    }
  }

  /** Rows waiting in the spool. */
  public long rows() {
    return rows;
  }

  public boolean isEmpty() {
    return rows == 0;
  }

  /** Appends rows and forces them to disk before returning. */
  public void append(List<? extends LedgerRow> batch) throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    ByteArrayOutputStream frame = new ByteArrayOutputStream(batch.size() * 160);
    ByteArrayOutputStream payload = new ByteArrayOutputStream(256);
    DataOutputStream frameOut = new DataOutputStream(frame);
    CRC32 crc = new CRC32();
    for (LedgerRow row : batch) {
      payload.reset();
      RowCodec.write(new DataOutputStream(payload), row);
      byte[] bytes = payload.toByteArray();
      crc.reset();
      crc.update(bytes);
      frameOut.writeInt(bytes.length);
      frameOut.writeInt((int) crc.getValue());
      frameOut.write(bytes);
    }
    FileChannel channel = appendChannel();
    ByteBuffer buffer = ByteBuffer.wrap(frame.toByteArray());
    long start = channel.position();
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      // Leave no half batch behind: what was not forced is cut off again.
      try {
        channel.truncate(start);
        channel.position(start);
      } catch (IOException ignored) {
        // the torn tail fails its CRC on replay
      }
      throw e;
    }
    segments.merge(appendSegment, batch.size(), Integer::sum);
    rows += batch.size();
    if (channel.position() >= SEGMENT_BYTES) {
      channel.close();
      appendChannel = null;
      appendSegment++;
    }
  }

  /**
   * Up to {@code max} of the oldest rows, in the order they were appended; they stay in the spool
   * until {@link #commit} says they are in the database.
   */
  public Chunk peek(int max) throws IOException {
    if (segments.isEmpty()) {
      return new Chunk(List.of(), -1, 0);
    }
    long segment = segments.firstKey();
    if (segment != readSegment) {
      readSegment = segment;
      readOffset = 0;
    }
    Path file = path(segment);
    List<LedgerRow> out = new ArrayList<>(Math.min(max, 4096));
    long offset = readOffset;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(8);
      while (out.size() < max && offset + 8 <= size) {
        header.clear();
        readFully(ch, header, offset);
        int length = header.getInt(0);
        int expected = header.getInt(4);
        if (length <= 0 || length > MAX_RECORD || offset + 8 + length > size) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, offset + 8);
        CRC32 crc = new CRC32();
        crc.update(body.array());
        if ((int) crc.getValue() != expected) {
          break;
        }
        out.add(RowCodec.read(new DataInputStream(new ByteArrayInputStream(body.array()))));
        offset += 8 + length;
      }
    }
    return new Chunk(out, segment, offset);
  }

  /** The rows of {@code chunk} are in the database: move past them, delete a finished segment. */
  public void commit(Chunk chunk) throws IOException {
    if (chunk.rows().isEmpty() || chunk.segment() != readSegment) {
      if (chunk.rows().isEmpty() && chunk.segment() >= 0) {
        dropIfFinished(chunk.segment());
      }
      return;
    }
    readOffset = chunk.endOffset();
    int left = segments.get(chunk.segment()) - chunk.rows().size();
    rows -= chunk.rows().size();
    if (left > 0) {
      segments.put(chunk.segment(), left);
    } else {
      segments.put(chunk.segment(), 0);
      dropIfFinished(chunk.segment());
    }
  }

  /** A segment with nothing left to hand out is closed and deleted (a torn tail included). */
  private void dropIfFinished(long segment) throws IOException {
    Integer left = segments.get(segment);
    if (left == null || left > 0) {
      return;
    }
    if (segment == appendSegment && appendChannel != null) {
      appendChannel.close();
      appendChannel = null;
      appendSegment++;
    }
    segments.remove(segment);
    Files.deleteIfExists(path(segment));
    readSegment = -1;
    readOffset = 0;
  }

  private FileChannel appendChannel() throws IOException {
    if (appendChannel == null) {
      appendChannel =
          FileChannel.open(
              path(appendSegment),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
      // The directory entry must survive a crash too.
      forceDirectory();
    }
    return appendChannel;
  }

  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // not every file system lets a directory be opened; the file's own fsync still holds
    }
  }

  private List<Long> scan(Path file) throws IOException {
    List<Long> offsets = new ArrayList<>();
    long offset = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer header = ByteBuffer.allocate(8);
      while (offset + 8 <= size) {
        header.clear();
        readFully(ch, header, offset);
        int length = header.getInt(0);
        if (length <= 0 || length > MAX_RECORD || offset + 8 + length > size) {
          break;
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, offset + 8);
        CRC32 crc = new CRC32();
        crc.update(body.array());
        if ((int) crc.getValue() != header.getInt(4)) {
          break;
        }
        offsets.add(offset);
        offset += 8 + length;
      }
      if (offset < size) {
        LOG.warn(
            "ledger spool {}: a torn record at byte {} ends it (a crash mid-write)", file, offset);
      }
    }
    return offsets;
  }

  private static void readFully(FileChannel ch, ByteBuffer buffer, long position)
      throws IOException {
    long p = position;
    while (buffer.hasRemaining()) {
      int n = ch.read(buffer, p);
      if (n < 0) {
        throw new IOException("unexpected end of spool segment");
      }
      p += n;
    }
    buffer.flip();
  }

  private Path path(long segment) {
    return directory.resolve(String.format("%016d%s", segment, SUFFIX));
  }

  private static long number(Path p) {
    String name = p.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    if (appendChannel != null) {
      appendChannel.close();
      appendChannel = null;
    }
  }

  /** Rows read from one segment, and where the next read starts. */
  public record Chunk(List<LedgerRow> rows, long segment, long endOffset) {}
}
