package io.leadhub.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An operator's first minutes in Hawtio, in headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver} packages, driven by Selenium): open {@code /actuator/hawtio}, log in on the form with
 * the admin account, open the Camel plugin's routes view and find every route, the template-made
 * {@code crm-dispatch-acme-hubspot-main} among them, under its readable id. On failure a screenshot and the page
 * source are saved as {@code target/hawtio-<test>.png/.html}.
 */
class HawtioConsoleBrowserTest extends HubIntegrationTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(60);

    @Autowired
    private CamelContext camel;

    private Path profileDir;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void startChromium() throws IOException {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Chromium and its driver are needed for the Hawtio browser test: install them with "
                        + "'apt-get install -y chromium chromium-driver' (.ci/run installs them when "
                        + CHROMIUM + " or " + CHROMEDRIVER + " is missing)")
                .isTrue();
        profileDir = Files.createTempDirectory("leadhub-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // without the background-networking flags Chromium keeps calling Google services from a closed network
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profileDir, "--window-size=1600,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, UI_TIMEOUT);
    }

    @AfterEach
    void stopChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profileDir != null) {
            try (Stream<Path> files = Files.walk(profileDir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void adminLogsInAndFindsEveryCamelRouteByItsIdInTheRoutesView(TestInfo test) {
        onFailureSaveScreenshot(test, () -> {
            browser.get(url("/actuator/hawtio"));
            logIn(AdminSecurityTest.ADMIN_USER, AdminSecurityTest.ADMIN_PASSWORD);

            // the Camel plugin: its entry in the main navigation, the "routes" folder of the context, the Routes tab
            click(By.xpath("//nav//a[normalize-space()='Camel']"));
            click(By.xpath("//button[contains(@class,'tree-view__node-text') and normalize-space()='routes']"));
            click(By.xpath("//a[normalize-space()='Routes' and contains(@href,'/camel/routes')]"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                    "//table[@id='camel-routes-table']//td[@data-label='Name' and normalize-space()='crm-dispatch-acme-hubspot-main']")));

            List<String> shown = browser.findElements(By.cssSelector("#camel-routes-table td[data-label='Name']"))
                    .stream().map(WebElement::getText).map(String::trim).toList();
            List<String> routeIds = camel.getRoutes().stream().map(Route::getRouteId).toList();
            assertThat(shown).as("route names in Hawtio's Camel routes view").containsExactlyInAnyOrderElementsOf(routeIds)
                    .contains("crm-dispatch-acme-hubspot-main", "lead-enrich", "inbound-callrail-webhook");
        });
    }

    @Test
    void wrongPasswordStaysOnTheLoginFormWithAnError(TestInfo test) {
        onFailureSaveScreenshot(test, () -> {
            browser.get(url("/actuator/hawtio"));
            logIn(AdminSecurityTest.ADMIN_USER, "not-the-password");

            wait.until(ExpectedConditions.urlContains("/login?error"));
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("Invalid credentials");
            browser.get(url("/actuator/hawtio/camel/routes"));
            wait.until(ExpectedConditions.urlContains("/login"));
            assertThat(browser.findElements(By.name("password"))).hasSize(1);
        });
    }

    private void logIn(String user, String password) {
        wait.until(ExpectedConditions.urlContains("/login"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("username"))).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private void click(By locator) {
        wait.until(ExpectedConditions.elementToBeClickable(locator)).click();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Runs the steps; when they fail, saves {@code target/hawtio-<test>.png} and {@code .html} and rethrows. */
    private void onFailureSaveScreenshot(TestInfo test, Runnable steps) {
        try {
            steps.run();
        } catch (RuntimeException | AssertionError e) {
            String name = "target/hawtio-" + test.getTestMethod().map(m -> m.getName()).orElse("test");
            try {
                Files.write(Path.of(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
                Files.writeString(Path.of(name + ".html"), browser.getPageSource());
                e.addSuppressed(new IllegalStateException("screenshot and page source of " + browser.getCurrentUrl()
                        + " saved as " + name + ".png/.html"));
            } catch (IOException | RuntimeException saveFailure) {
                e.addSuppressed(saveFailure);
            }
            throw e;
        }
    }

}
