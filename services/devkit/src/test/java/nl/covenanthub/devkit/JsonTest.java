package nl.covenanthub.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void readsWhatKeycloakAndTheRealmFileContain() {
    Map<String, Object> json = Json.object("""
        {"access_token":"eyJ.a\\u002Eb","expires_in":300,"not-before-policy":0,"nested":{"list":[true,false,null,-1.5e2]},
         "escaped":"a\\"b\\\\c\\n\\u00e9"}
        """);
    assertThat(json.get("access_token")).as("a string with a unicode escape").isEqualTo("eyJ.a.b");
    assertThat(json.get("expires_in")).as("a number").isEqualTo(300.0);
    assertThat(json.get("nested")).as("nested values")
        .isEqualTo(Map.of("list", java.util.Arrays.asList(true, false, null, -150.0)));
    assertThat(json.get("escaped")).as("escapes").isEqualTo("a\"b\\c\né");
    assertThat(Json.parse("[]")).as("an empty array").isEqualTo(List.of());
  }

  @Test
  void refusesWhatIsNotJson() {
    assertThatThrownBy(() -> Json.parse("{\"a\":1,}")).as("a trailing comma").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("{\"a\":1} x")).as("trailing text").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.parse("\"open")).as("an open string").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Json.object("[1]")).as("an array where an object is needed")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
