package io.dormouse.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcFilesTest {

  @Test
  void sumsUserAndSystemTicks() {
    String stat =
        "4242 (java) S 1 4242 4242 0 -1 4194560 28053 0 6 0 1520 317 0 0 20 0 31 0 1779"
            + " 4419919872 60127 18446744073709551615 1 1 0 0 0 0 0 2 16796928 0 0 0 17 1 0 0";
    assertThat(ProcFiles.cpuTicks(stat)).isEqualTo(1520 + 317);
  }

  @Test
  void countsFieldsAfterACommandNameWithSpacesAndParentheses() {
    String stat = "77 (nginx: worker (x) ) R 76 76 76 0 -1 0 0 0 0 0 12 34 0 0 20 0 1 0 5 0 0";
    assertThat(ProcFiles.cpuTicks(stat)).isEqualTo(46);
  }

  @Test
  void readsResidentMemory() {
    String status =
        "Name:\tjava\nVmPeak:\t 4316324 kB\nVmRSS:\t  240508 kB\nRssAnon:\t 220000 kB\n";
    assertThat(ProcFiles.rssKb(status)).isEqualTo(240508);
    assertThat(ProcFiles.rssKb("Name:\tzombie\nState:\tZ (zombie)\n")).isZero();
  }
}
