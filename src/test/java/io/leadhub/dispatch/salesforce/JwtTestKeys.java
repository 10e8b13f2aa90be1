package io.leadhub.dispatch.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throwaway RSA keys for the Salesforce JWT bearer tests: a PKCS#12 keystore with one self-signed key entry,
 * made by the JDK's {@code keytool} (the test classpath has no certificate builder), never committed.
 */
public final class JwtTestKeys {

    private JwtTestKeys() {
    }

    /**
     * Generates a 2048-bit RSA key with a self-signed certificate into a new PKCS#12 keystore.
     *
     * @param keystore where to write it (must not exist)
     * @param password store and key password
     * @return {@code keystore}
     * @throws IllegalStateException when keytool fails
     */
    public static Path createKeystore(Path keystore, String password) {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt", "-alias", "leadhub-test",
                "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA", "-validity", "2",
                "-dname", "CN=leadhub-test", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", password, "-keypass", password);
        try {
            Files.createDirectories(keystore.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + output);
            }
            return keystore;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param keystore a keystore made by {@link #createKeystore}
     * @param password its password
     * @return the public key of its only entry
     */
    public static PublicKey publicKey(Path keystore, String password) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            String alias = Collections.list(store.aliases()).get(0);
            return store.getCertificate(alias).getPublicKey();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param jwt       a compact JWS, {@code header.claims.signature} (Base64url)
     * @param publicKey the signer's public key
     * @return true when the RS256 (SHA256withRSA) signature over {@code header.claims} verifies
     */
    public static boolean verifiesRs256(String jwt, PublicKey publicKey) {
        int last = jwt.lastIndexOf('.');
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(publicKey);
            signature.update(jwt.substring(0, last).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(jwt.substring(last + 1)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param jwt a compact JWS
     * @param part 0 = header, 1 = claims
     * @return that part, Base64url-decoded, as UTF-8 text
     */
    public static String decodePart(String jwt, int part) {
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), StandardCharsets.UTF_8);
    }
}
