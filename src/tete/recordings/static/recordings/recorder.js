// Records a conversation in the browser and sends it to the server while it records.
//
// MediaRecorder hands over a piece of the stream every CHUNK_MS (the page says how often) (webm/opus in Chromium and
// Firefox, mp4/aac in Safari); each piece is numbered and sent at once. A piece that cannot
// be sent (the network dropped) waits in a queue and is sent again, in order, when the
// network returns; the server stores a piece sent twice only once. So closing the tab or a
// crash loses at most the piece being recorded. The page works without this script: the
// section stays hidden and the upload form below it remains.
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

  var recorder = null;
  var stream = null;
  var recording = null; // the server's answer to "start": urls and state
  var queue = []; // pieces not yet sent: {index, blob}
  var nextIndex = 0;
  var sending = false;
  var stopping = false;
  var recordedMs = 0;
  var runningSince = null;
  var ticker = null;

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
    if (!form.elements.consent.checked) {
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
    recorder.addEventListener("dataavailable", function (e) {
      if (e.data && e.data.size) {
        queue.push({ index: nextIndex++, blob: e.data });
        send();
      }
    });
    recorder.addEventListener("stop", function () {
      stopping = true;
      release();
      send();
    });
    recorder.start(CHUNK_MS);
    runningSince = Date.now();
    ticker = setInterval(tick, 500);
    form.hidden = true;
    live.hidden = false;
    section.classList.add("recorder--on");
    stopButton.focus();
    say("Recording. The sound is sent every " + CHUNK_MS / 1000 + " seconds.");
  }

  function release() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
  }

  // Sends the queue in order; a failure waits and tries again, so pieces are never skipped.
  async function send() {
    if (sending) return;
    sending = true;
    while (queue.length) {
      var piece = queue[0];
      try {
        var response = await post(recording.chunk_url + piece.index + "/", piece.blob, {
          "Content-Type": "application/octet-stream",
        });
        if (response.status === 409) {
          var refused = await response.json();
          queue = [];
          say(refused.error);
          if (recorder && recorder.state !== "inactive") recorder.stop();
          break;
        }
        if (!response.ok) throw new Error("status " + response.status);
        queue.shift();
        if (!stopping) say("Recording. Sent " + clock(elapsed()) + " so far.");
      } catch (error) {
        say("The network is down: " + queue.length + " part(s) wait and are sent when it returns. Keep recording.");
        await wait(RETRY_MS);
      }
    }
    sending = false;
    if (stopping && !queue.length) finish();
  }

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
  window.addEventListener("beforeunload", function (event) {
    if (recorder && (recorder.state !== "inactive" || queue.length)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
