package io.openavathar.studio;

import com.fasterxml.jackson.databind.JsonNode;
import io.openavathar.AvatarStudio;
import io.openavathar.InvalidInputException;
import io.openavathar.license.LicenseClient;
import io.openavathar.license.LicenseInfo;
import io.openavathar.license.LicenseKey;
import io.openavathar.license.LicenseStatus;
import io.openavathar.pod.Pod;
import io.openavathar.pod.PodStatus;
import io.openavathar.runpod.ApiKey;
import io.openavathar.store.StartedPod;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/state} (what every page shows: backend, license, idle stop, the CSRF token),
 * {@code POST /api/settings}, and the license ({@code activate}, {@code deactivate}). Secrets go
 * in, never out: the RunPod key and the license key come back masked.
 */
final class StateApi {
  /** Settings a page may write; anything else is refused. */
  static final Set<String> WRITABLE =
      Set.of(
          Settings.RUNPOD_API_KEY,
          Settings.COMFY_URL,
          Settings.LICENSE_URL,
          Settings.IDLE_MINUTES,
          Settings.MIN_VRAM,
          Settings.MAX_PRICE,
          Settings.CLOUD,
          Settings.DAILY_CAP);

  static final long WAIT_SECONDS = 30;

  private final Session session;
  private final Guard guard;
  private final Uploads uploads;
  private final EventHub hub;
  private final Clock clock;

  StateApi(Session session, Guard guard, Uploads uploads, EventHub hub, Clock clock) {
    this.session = session;
    this.guard = guard;
    this.uploads = uploads;
    this.hub = hub;
    this.clock = clock;
  }

  boolean handle(Exchange x) throws Exception {
    if (x.is("GET", "state")) {
      x.ok(state());
    } else if (x.is("POST", "settings")) {
      settings(x.json());
      x.ok(state());
    } else if (x.is("POST", "license", "activate")) {
      LicenseKey key = LicenseKey.parse(x.json().path("key").asText(""));
      await(session.license().activate(key));
      OwnerOnlyFiles.write(keyFile(), key.value());
      hub.changed("license");
      x.ok(state());
    } else if (x.is("POST", "license", "deactivate")) {
      LicenseKey key =
          savedKey()
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          "No license key is activated in this studio's data directory."));
      await(session.license().deactivate(key));
      Files.deleteIfExists(keyFile());
      hub.changed("license");
      x.ok(state());
    } else {
      return false;
    }
    return true;
  }

  Optional<String> upgradeUrl() {
    return session.license().upgradeUrl().or(session::upgradeUrl);
  }

  Map<String, Object> state() {
    Settings s = session.settings();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("demo", session.backends().simulated());
    session.backends().demoLicenseKey().ifPresent(k -> m.put("demoLicenseKey", k));
    m.put("csrf", guard.csrfToken());
    m.put("configured", session.configured());
    m.put(
        "backend",
        s.get(Settings.COMFY_URL).isPresent() ? "comfy" : session.onRunPod() ? "runpod" : null);
    s.get(Settings.RUNPOD_API_KEY).ifPresent(k -> m.put("runpodKey", ApiKey.of(k).toString()));
    s.get(Settings.COMFY_URL).ifPresent(u -> m.put("comfyUrl", u));
    s.get(Settings.LICENSE_URL).ifPresent(u -> m.put("licenseUrl", u));
    m.put("idleMinutes", session.idleMinutes());
    m.put("gpu", session.gpu().view());
    m.put("limits", Map.of("image", uploads.limit("image"), "audio", uploads.limit("audio")));
    m.put("license", license());
    if (session.onRunPod()) {
      idleNote().ifPresent(n -> m.put("idleNote", n));
    }
    return m;
  }

  private Map<String, Object> license() {
    Map<String, Object> m = new LinkedHashMap<>();
    LicenseClient client = session.license();
    upgradeUrl().ifPresent(u -> m.put("upgradeUrl", u));
    if (!session.hasLicenseServer()) {
      m.put("unlimited", true);
      return m;
    }
    m.put("unlimited", false);
    try {
      LicenseStatus st = await(client.check());
      m.put("pro", st.pro());
      m.put("canGenerate", st.canGenerate());
      m.put("used", st.used());
      m.put("limit", st.limit());
      m.put("resetsInSeconds", st.resetsIn().toSeconds());
      st.licenseKey().ifPresent(k -> m.put("key", k));
      Optional<LicenseKey> saved = savedKey();
      if (saved.isPresent()) {
        m.put("key", saved.get().masked());
        if (st.pro()) {
          LicenseInfo info = await(client.validate(saved.get()));
          m.put("devicesUsed", info.activationsUsed());
          m.put("devicesMax", info.maxActivations());
        }
      }
    } catch (RuntimeException e) {
      m.put("error", Views.message(e));
    }
    return m;
  }

  /**
   * "Your GPU stops in 12 min if unused": for the pods this studio started that run and have no
   * job, the soonest idle stop, from the store's last activity and the idle minutes.
   */
  private Optional<String> idleNote() {
    Optional<AvatarStudio> studio = session.current();
    if (studio.isEmpty()) {
      return Optional.empty();
    }
    try {
      List<Pod> pods = studio.get().pods().listPods().get(WAIT_SECONDS, TimeUnit.SECONDS);
      OptionalLong soonest = OptionalLong.empty();
      for (StartedPod started : session.store().startedPods()) {
        boolean idleAndRunning =
            pods.stream()
                    .anyMatch(
                        p -> p.id().equals(started.podId()) && p.status() == PodStatus.RUNNING)
                && studio.get().pods().load(started.podId()) == 0;
        if (idleAndRunning) {
          Duration left =
              Duration.between(
                  clock.instant(),
                  started.lastActivity().plus(Duration.ofMinutes(session.idleMinutes())));
          long minutes = Math.max(0, (left.toSeconds() + 59) / 60);
          soonest =
              OptionalLong.of(
                  soonest.isPresent() ? Math.min(soonest.getAsLong(), minutes) : minutes);
        }
      }
      if (soonest.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of("Your GPU stops in " + soonest.getAsLong() + " min if unused.");
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private void settings(JsonNode body) {
    Map<String, String> values = new LinkedHashMap<>();
    for (var field : body.properties()) {
      String key = field.getKey();
      if (!WRITABLE.contains(key)) {
        throw new InvalidInputException("Unknown setting: " + key);
      }
      String value = field.getValue().isNull() ? "" : field.getValue().asText("").trim();
      validate(key, value);
      values.put(key, value);
    }
    boolean rebuild = false; // all checked first: a form with one wrong field saves nothing
    for (var field : values.entrySet()) {
      String key = field.getKey();
      String value = field.getValue();
      if (session.settings().get(key).orElse("").equals(value)) {
        continue; // unchanged: no need to build the studio again
      }
      session.settings().put(key, value);
      if (key.equals(Settings.RUNPOD_API_KEY) && !value.isEmpty()) {
        session
            .settings()
            .remove(Settings.COMFY_URL); // the last answer to "where do videos run" wins
      } else if (key.equals(Settings.COMFY_URL) && !value.isEmpty()) {
        session.settings().remove(Settings.RUNPOD_API_KEY);
      }
      rebuild = true;
    }
    if (rebuild) {
      session.settingsChanged();
      hub.changed("settings");
    }
  }

  private static void validate(String key, String value) {
    if (value.isEmpty()) {
      return;
    }
    switch (key) {
      case Settings.RUNPOD_API_KEY -> {
        if (value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
          throw new InvalidInputException(
              "The RunPod API key contains a space or line break: copy it again from"
                  + " RunPod's console (Settings > API Keys).");
        }
      }
      case Settings.COMFY_URL, Settings.LICENSE_URL -> {
        URI u;
        try {
          u = URI.create(value);
        } catch (IllegalArgumentException e) {
          throw new InvalidInputException("Not a URL: enter it like http://192.168.1.20:8188");
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())
            || u.getHost() == null) {
          throw new InvalidInputException(
              "Not an http(s) URL: enter it like http://192.168.1.20:8188");
        }
      }
      case Settings.IDLE_MINUTES -> {
        int minutes;
        try {
          minutes = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          throw new InvalidInputException("Idle stop minutes must be a whole number, was " + value);
        }
        if (minutes < 1 || minutes > 24 * 60) {
          throw new InvalidInputException(
              "Idle stop minutes must be between 1 and 1440, was " + minutes);
        }
      }
      default -> GpuSettings.validate(key, value);
    }
  }

  /** The activated key, where {@code openavathar license activate} keeps it too. */
  private Path keyFile() {
    return session.dataDirectory().resolve("license").resolve("key");
  }

  private Optional<LicenseKey> savedKey() {
    try {
      return Files.exists(keyFile())
          ? Optional.of(LicenseKey.parse(Files.readString(keyFile()).trim()))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new java.util.concurrent.CompletionException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new io.openavathar.RemoteUnavailableException(
          "No answer within " + WAIT_SECONDS + " s; try again.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.util.concurrent.CancellationException("interrupted");
    }
  }
}
