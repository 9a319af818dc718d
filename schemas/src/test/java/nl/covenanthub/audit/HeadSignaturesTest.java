package nl.covenanthub.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A head signed by the hub verifies; anything changed, or signed by another key, does not. */
class HeadSignaturesTest {
  private static final ChainHead HEAD = new ChainHead("partner.lzn.outbox-0", 42L, "ab".repeat(32));

  @Test
  void aSignedHeadVerifiesAndAChangedOneDoesNot() {
    HeadSignatures.Signer signer =
        HeadSignatures.Signer.of(HeadSignatures.DEMO_PRIVATE_KEY, HeadSignatures.DEMO_PUBLIC_KEY);
    HeadSignatures.Verifier verifier =
        HeadSignatures.Verifier.of(List.of(HeadSignatures.DEMO_PUBLIC_KEY));
    byte[] signature = signer.sign(HEAD);

    assertThat(verifier.verify(HEAD, signer.keyId(), signature)).isTrue();
    assertThat(
            verifier.verify(
                new ChainHead("partner.lzn.outbox-0", 42L, "cd".repeat(32)),
                signer.keyId(),
                signature))
        .as("another hash")
        .isFalse();
    assertThat(
            verifier.verify(
                new ChainHead("partner.lzn.outbox-0", 43L, HEAD.getHash()),
                signer.keyId(),
                signature))
        .as("another position")
        .isFalse();
    assertThat(verifier.verify(HEAD, "0000000000000000", signature)).as("an unknown key").isFalse();
    assertThat(verifier.verify(HEAD, signer.keyId(), null)).as("no signature").isFalse();
  }

  @Test
  void aHeadSignedWithAnotherKeyDoesNotVerifyUntilThatKeyIsKnown() throws Exception {
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    String privateKey = Base64.getEncoder().encodeToString(other.getPrivate().getEncoded());
    String publicKey = Base64.getEncoder().encodeToString(other.getPublic().getEncoded());
    HeadSignatures.Signer rotated = HeadSignatures.Signer.of(privateKey, publicKey);
    byte[] signature = rotated.sign(HEAD);

    assertThat(
            HeadSignatures.Verifier.of(List.of(HeadSignatures.DEMO_PUBLIC_KEY))
                .verify(HEAD, rotated.keyId(), signature))
        .isFalse();
    assertThat(
            HeadSignatures.Verifier.of(List.of(HeadSignatures.DEMO_PUBLIC_KEY, publicKey))
                .verify(HEAD, rotated.keyId(), signature))
        .as("both keys known while the hub's key is rotated")
        .isTrue();
  }

  @Test
  void theSignatureIsTheOneTheJdkMakesSoAnyEd25519VerifierAcceptsIt() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    HeadSignatures.Signer signer =
        HeadSignatures.Signer.of(
            Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
            Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initSign(pair.getPrivate());
    jdk.update(HeadSignatures.message(HEAD));

    assertThat(signer.sign(HEAD)).isEqualTo(jdk.sign());
  }

  private static String privateKeyOfAnotherPair() throws Exception {
    return Base64.getEncoder()
        .encodeToString(
            KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
  }

  @Test
  void keysThatAreNotEd25519AreRefusedWithoutQuotingThem() throws Exception {
    assertThatThrownBy(
            () -> HeadSignatures.Signer.of("bm90IGEga2V5", HeadSignatures.DEMO_PUBLIC_KEY))
        .hasMessageStartingWith("not an Ed25519 private key")
        .hasMessageNotContaining("bm90IGEga2V5");
    assertThatThrownBy(
            () ->
                HeadSignatures.Signer.of(privateKeyOfAnotherPair(), HeadSignatures.DEMO_PUBLIC_KEY))
        .hasMessage("the private and the public key are not one pair");
    String rsa =
        Base64.getEncoder()
            .encodeToString(
                KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded());
    assertThatThrownBy(() -> HeadSignatures.Signer.of(rsa, HeadSignatures.DEMO_PUBLIC_KEY))
        .as("a private key of another algorithm")
        .hasMessageStartingWith("not an Ed25519 private key");
    assertThatThrownBy(() -> HeadSignatures.Verifier.of(List.of("%%%")))
        .hasMessageStartingWith("not an Ed25519 public key");
  }
}
