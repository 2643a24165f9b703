package io.dormouse.ledger.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassifierTest {

  @ParameterizedTest(name = "{0} (missing partition {1}) → {2}")
  @CsvSource({
    "23514,false,REFUSED", // check violation: negative tokens
    "23503,false,REFUSED", // foreign key: unknown route
    "23502,false,REFUSED", // not null
    "22001,false,REFUSED", // value too long
    "21000,false,REFUSED", // one statement touching a row twice
    "23514,true,SCHEMA", // no partition for the row's day
    "08001,false,UNREACHABLE",
    "08006,false,UNREACHABLE",
    "57P01,false,UNREACHABLE", // admin shutdown
    "57014,false,TIMEOUT", // query cancelled by the statement timeout
    "28P01,false,CREDENTIALS",
    "28000,false,CREDENTIALS",
    "3D000,false,CREDENTIALS", // no such database
    "42P01,false,SCHEMA", // undefined table
    "42703,false,SCHEMA", // undefined column
    "53100,false,RESOURCES", // disk full
    "53300,false,RESOURCES", // too many connections
    "XX000,false,OTHER",
    ",false,UNREACHABLE", // no SQLSTATE: an I/O error
  })
  void classifies(String state, boolean missingPartition, Failure expected) {
    assertThat(FailureClassifier.classify(state, missingPartition)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"REFUSED,false", "UNREACHABLE,true", "SCHEMA,true", "RESOURCES,true", "OTHER,true"})
  void onlyRefusalsBlameTheRow(Failure failure, boolean databaseDown) {
    assertThat(failure.databaseDown()).isEqualTo(databaseDown);
  }

  @ParameterizedTest
  @CsvSource({"0,0", "1,1000", "2,2000", "3,4000", "4,8000", "5,15000", "40,15000"})
  void backsOffDoublingToACap(int failures, long millis) {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15));
    assertThat(b.after(failures)).isEqualTo(Duration.ofMillis(millis));
  }
}
