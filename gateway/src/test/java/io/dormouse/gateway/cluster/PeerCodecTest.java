package io.dormouse.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerCodecTest {

  static final PeerState STATE =
      new PeerState(
          "gw-a",
          42,
          List.of("gw-a", "gw-b"),
          false,
          List.of(new PeerState.LimitDemand("search", "team-a/llama", 12.5, 4000, 3, 900)),
          Map.of("team-a/llama", 7),
          Map.of("10.0.0.1:8000", 4));

  @Test
  void aStateSurvivesTheWire() throws Exception {
    assertThat(PeerCodec.decode(PeerCodec.encode(STATE))).isEqualTo(STATE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "null",
        "[]",
        "42",
        "{",
        "not json",
        "{}",
        "{\"id\":\"gw-a\"}",
        "{\"id\":\"\",\"epoch\":1,\"members\":[\"\"],\"limits\":[],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":-1,\"members\":[\"gw-a\"],\"limits\":[],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-b\"],\"limits\":[],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-a\",null],\"limits\":[],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-a\"],\"limits\":[null],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-a\"],\"limits\":[],\"slotDemand\":{},\"claims\":{\"b\":-3}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-a\"],\"limits\":[],\"slotDemand\":{\"x\":null},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-a\"],\"limits\":[{\"project\":\"p\",\"endpoint\":\"e\",\"requests\":-1,\"tokens\":0,\"remainingRequests\":0,\"remainingTokens\":0}],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-a\"],\"limits\":[{\"project\":\"p\",\"endpoint\":\"e\",\"requests\":1e999,\"tokens\":0,\"remainingRequests\":0,\"remainingTokens\":0}],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":\"x\",\"members\":[\"gw-a\"],\"limits\":[],\"slotDemand\":{},\"claims\":{}}",
        "{\"id\":\"gw-a\",\"epoch\":1,\"members\":[\"gw-a\"],\"limits\":[],\"slotDemand\":{},\"claims\":{}} trailing"
      })
  void malformedMessagesAreRefusedWithAReason(String text) {
    assertThatThrownBy(() -> PeerCodec.decode(text.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(PeerCodec.Malformed.class)
        .hasMessageNotContaining("\n");
  }

  @Test
  void deepNestingAndOversizedMessagesAreRefused() {
    String deep = "{\"id\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertThatThrownBy(() -> PeerCodec.decode(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(PeerCodec.Malformed.class);
    assertThatThrownBy(() -> PeerCodec.decode(new byte[PeerCodec.MAX_BYTES + 1]))
        .isInstanceOf(PeerCodec.Malformed.class);
  }
}
