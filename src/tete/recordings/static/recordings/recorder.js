// Records a conversation in the browser and sends it to the server while it records.
//
// MediaRecorder hands over a piece of the stream every CHUNK_MS (the page says how often) (webm/opus in Chromium and
// Firefox, mp4/aac in Safari); each piece is numbered and sent at once. A piece that cannot
// be sent (the network dropped) waits in a queue and is sent again, in order, when the
// network returns; the server stores a piece sent twice only once. Waiting pieces are also
// kept in the browser's IndexedDB until the server has them: if the tab is closed while the
// network is down, the next visit to this page sends them. So closing the tab, a crash or a
// network drop loses at most the piece being recorded. A recording whose page was closed can
// be continued by the person who started it (the page's data-continue-url): its new pieces are
// numbered on after the last one sent, and after any still waiting here. The page works without this script:
// the section stays hidden and the upload form below it remains.
(function () {
  "use strict";

  var RETRY_MS = 3000;
  var TYPES = [
    "audio/webm;codecs=opus",
    "audio/webm",
    "audio/mp4;codecs=mp4a.40.2",
    "audio/mp4",
    "audio/ogg;codecs=opus",
  ];

  var section = document.getElementById("recorder");
  if (!section) return;
  var CHUNK_MS = 1000 * (Number(section.dataset.chunkSeconds) || 10);
  var continueUrl = section.dataset.continueUrl || "";
  // The recording's chunk URL without its index ("/recordings/7/chunks/").
  var continuedChunks = (section.dataset.chunkUrl || "").replace(/0\/$/, "");
  var form = document.getElementById("recorder-consent");
  var live = document.getElementById("recorder-live");
  var stateText = document.getElementById("recorder-state");
  var timerText = document.getElementById("recorder-timer");
  var pauseButton = document.getElementById("recorder-pause");
  var stopButton = document.getElementById("recorder-stop");
  var message = document.getElementById("recorder-message");
  var csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;

  section.hidden = false;
  if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    form.hidden = true;
    say("This browser cannot record. Upload a recording below instead.");
    return;
  }

  var kept = openStore();
  var recorder = null;
  var stream = null;
  var recording = null; // the server's answer to "start": urls and state
  var queue = []; // pieces not yet sent: {url, blob}
  var nextIndex = 0;
  var sending = false;
  var stopping = false;
  var recordedMs = 0;
  var runningSince = null;
  var ticker = null;

  // IndexedDB, where pieces wait until the server has them (null where it is unavailable,
  // e.g. some private windows: then they wait in memory only).
  function openStore() {
    return new Promise(function (resolve) {
      var request;
      try {
        request = window.indexedDB.open("tete-recorder", 1);
      } catch (error) {
        resolve(null);
        return;
      }
      request.onupgradeneeded = function () {
        request.result.createObjectStore("pieces", { keyPath: "url" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        resolve(null);
      };
    });
  }

  function withPieces(mode, action) {
    return kept.then(function (db) {
      if (!db) return [];
      return new Promise(function (resolve) {
        try {
          var transaction = db.transaction("pieces", mode);
          var request = action(transaction.objectStore("pieces"));
          transaction.oncomplete = function () {
            resolve(request && request.result);
          };
          transaction.onerror = transaction.onabort = function () {
            resolve([]);
          };
        } catch (error) {
          resolve([]);
        }
      });
    });
  }

  function keep(piece) {
    return withPieces("readwrite", function (pieces) {
      return pieces.put(piece);
    });
  }

  function forget(piece) {
    return withPieces("readwrite", function (pieces) {
      return pieces.delete(piece.url);
    });
  }

  // After the highest piece of the continued recording still waiting in this browser (it
  // reaches the server later, in its place): the server numbers on from there.
  function nextKeptIndex() {
    return withPieces("readonly", function (pieces) {
      return pieces.getAll();
    }).then(function (pieces) {
      var next = 0;
      (pieces || []).concat(queue).forEach(function (piece) {
        if (continuedChunks && piece.url.indexOf(continuedChunks) === 0) {
          next = Math.max(next, parseInt(piece.url.slice(continuedChunks.length), 10) + 1);
        }
      });
      return next;
    });
  }

  function say(text) {
    message.textContent = text;
  }

  function clock(ms) {
    var seconds = Math.floor(ms / 1000);
    var minutes = Math.floor(seconds / 60);
    var hours = Math.floor(minutes / 60);
    var ss = String(seconds % 60).padStart(2, "0");
    if (hours) return hours + ":" + String(minutes % 60).padStart(2, "0") + ":" + ss;
    return minutes + ":" + ss;
  }

  function elapsed() {
    return recordedMs + (runningSince ? Date.now() - runningSince : 0);
  }

  function tick() {
    timerText.textContent = clock(elapsed());
  }

  function pickType() {
    for (var i = 0; i < TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(TYPES[i])) return TYPES[i];
    }
    return "";
  }

  function wait(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  async function post(url, body, headers) {
    var all = Object.assign({ "X-CSRFToken": csrf, Accept: "application/json" }, headers || {});
    return fetch(url, { method: "POST", body: body, headers: all, credentials: "same-origin" });
  }

  async function start(event) {
    event.preventDefault();
    if (!continueUrl && !form.elements.consent.checked) {
      say("Confirm that both of you agree to record before starting.");
      form.elements.consent.focus();
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: { ideal: 2 }, echoCancellation: false, autoGainControl: false },
      });
    } catch (error) {
      say("The microphone could not be used (" + error.name + "). Allow it for this site and try again.");
      return;
    }
    var type = pickType();
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
    var body = new FormData(form);
    body.set("content_type", recorder.mimeType || type || "audio/webm");
    if (continueUrl) body.set("after", String(await nextKeptIndex()));
    var response;
    try {
      response = await post(form.action, body);
    } catch (error) {
      release();
      say("The server could not be reached; nothing was recorded. Try again.");
      return;
    }
    var answer = await response.json();
    if (!response.ok) {
      release();
      say(answer.error || "The recording could not start.");
      return;
    }
    recording = answer;
    nextIndex = answer.next_index || 0;
    recorder.addEventListener("dataavailable", function (e) {
      if (e.data && e.data.size) {
        var piece = { url: recording.chunk_url + nextIndex++ + "/", blob: e.data };
        queue.push(piece);
        keep(piece).then(send);
      }
    });
    recorder.addEventListener("stop", function () {
      stopping = true;
      release();
      send();
    });
    recorder.start(CHUNK_MS);
    keepScreenOn();
    runningSince = Date.now();
    ticker = setInterval(tick, 500);
    form.hidden = true;
    live.hidden = false;
    section.classList.add("recorder--on");
    stopButton.focus();
    say(
      (continueUrl ? "Recording again, after what was sent before. " : "Recording. ") +
        "The sound is sent every " + CHUNK_MS / 1000 + " seconds."
    );
  }

  function release() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    var lock = wakeLock;
    wakeLock = null;
    if (lock) lock.release().catch(function () {});
  }

  // A phone left on the table turns its screen off, and a browser may then stop recording:
  // keep the screen on while recording, where the browser allows it.
  var wakeLock = null;
  async function keepScreenOn() {
    if (!navigator.wakeLock || !recorder || recorder.state === "inactive") return;
    try {
      wakeLock = await navigator.wakeLock.request("screen");
      wakeLock.addEventListener("release", function () {
        wakeLock = null;
      });
    } catch (error) {
      wakeLock = null; // refused (battery saver, no user gesture): record anyway
    }
  }

  // Sends the queue in order; a failure waits and tries again, so pieces are never skipped.
  async function send() {
    if (sending) return;
    sending = true;
    while (queue.length) {
      var piece = queue[0];
      try {
        var response = await post(piece.url, piece.blob, {
          "Content-Type": "application/octet-stream",
        });
        if (response.status === 409 || response.status === 404) {
          // Finished meanwhile (by the other person, or at the size limit), or deleted:
          // the server takes no more of it.
          var refused = response.status === 409 ? await response.json() : {};
          queue.forEach(forget);
          queue = [];
          say(refused.error || "That recording was deleted.");
          if (recorder && recorder.state !== "inactive") recorder.stop();
          break;
        }
        if (!response.ok) throw new Error("status " + response.status);
        queue.shift();
        await forget(piece);
        if (recorder && !stopping) say("Recording. Sent " + clock(elapsed()) + " so far.");
      } catch (error) {
        say("The network is down: " + queue.length + " part(s) wait and are sent when it returns. Keep recording.");
        await wait(RETRY_MS);
      }
    }
    sending = false;
    if (stopping && !queue.length) finish();
    if (!recorder && !queue.length && leftovers) {
      leftovers = 0;
      say(
        continueUrl
          ? "The rest of the recording was sent. Continue it here, or finish it from the meeting page."
          : "The rest of an earlier recording was sent. Finish it from the meeting page."
      );
    }
  }

  // Pieces of an earlier recording that never reached the server (the tab was closed while
  // the network was down): send them now.
  var leftovers = 0;
  withPieces("readonly", function (pieces) {
    return pieces.getAll();
  }).then(function (pieces) {
    if (!pieces || !pieces.length || recorder) return;
    leftovers = pieces.length;
    queue = queue.concat(pieces);
    say("Sending " + pieces.length + " part(s) of an earlier recording…");
    send();
  });

  async function finish() {
    say("Sending the end of the recording…");
    try {
      var response = await post(recording.finish_url, new FormData());
      var answer = await response.json();
      if (!response.ok) {
        say(answer.error || "The recording could not be finished.");
        return;
      }
      say("Recorded. Analysing…");
      window.location.assign(answer.report_url);
    } catch (error) {
      say("The network is down; trying to finish again in a moment.");
      await wait(RETRY_MS);
      finish();
    }
  }

  function pauseOrResume() {
    if (!recorder) return;
    if (recorder.state === "recording") {
      recorder.pause();
      recordedMs = elapsed();
      runningSince = null;
      pauseButton.textContent = "Resume";
      stateText.textContent = "Paused";
      section.classList.add("recorder--paused");
      say("Paused.");
    } else if (recorder.state === "paused") {
      recorder.resume();
      runningSince = Date.now();
      pauseButton.textContent = "Pause";
      stateText.textContent = "Recording";
      section.classList.remove("recorder--paused");
      say("Recording again.");
    }
  }

  function stop() {
    if (!recorder || recorder.state === "inactive") return;
    recordedMs = elapsed();
    runningSince = null;
    clearInterval(ticker);
    tick();
    pauseButton.disabled = true;
    stopButton.disabled = true;
    stateText.textContent = "Stopped";
    section.classList.remove("recorder--on");
    recorder.stop();
  }

  form.addEventListener("submit", start);
  pauseButton.addEventListener("click", pauseOrResume);
  stopButton.addEventListener("click", stop);
  window.addEventListener("online", send);
  document.addEventListener("visibilitychange", function () {
    // The browser drops the lock when the page is hidden: take it again on return.
    if (document.visibilityState === "visible" && !wakeLock) keepScreenOn();
  });
  window.addEventListener("beforeunload", function (event) {
    if (recorder && (recorder.state !== "inactive" || queue.length)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
