package io.dormouse.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JvmHeapTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        " garbage-first heap   total 40960K, used 5957K [0x0000000687400000, 0x0000000800000000)|5957",
        " def new generation   total 9792K, used 1000K [0x1, 0x2)\\n tenured generation   total 21888K, used 24K\\n Metaspace       used 8932K, committed 9088K|1024",
      })
  void readsTheUsedHeapOfGcHeapInfo(String output, long kb) {
    assertThat(JvmHeap.usedKb("4242:\n" + output.replace("\\n", "\n"))).isEqualTo(kb);
  }

  @ParameterizedTest
  @CsvSource({"'4242:\nCommand executed successfully'"})
  void refusesOutputWithoutAHeapLine(String output) {
    assertThatThrownBy(() -> JvmHeap.usedKb(output)).isInstanceOf(IllegalArgumentException.class);
  }
}
