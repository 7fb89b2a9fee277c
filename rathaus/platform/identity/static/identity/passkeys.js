// Passkeys (WebAuthn): set one up under "Mein Rathaus" and log in with it.
// The forms stay hidden, and a notice shows, unless this browser has WebAuthn.
// Each ceremony asks the server for options, lets the browser talk to the
// authenticator and sends the answer back; the server answers {redirect} or {error}.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;
  document.documentElement.classList.add("rh-passkeys-ready");

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }
  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function descriptors(list) {
    return (list || []).map(function (d) {
      return { type: d.type, id: toBytes(d.id), transports: d.transports };
    });
  }
  function creationOptions(o) {
    o.challenge = toBytes(o.challenge);
    o.user.id = toBytes(o.user.id);
    o.excludeCredentials = descriptors(o.excludeCredentials);
    return o;
  }
  function requestOptions(o) {
    o.challenge = toBytes(o.challenge);
    o.allowCredentials = descriptors(o.allowCredentials);
    return o;
  }
  function credentialJSON(c) {
    var r = c.response;
    var response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      response.userHandle = r.userHandle ? toText(r.userHandle) : null;
    }
    return {
      id: c.id,
      rawId: toText(c.rawId),
      type: c.type,
      response: response,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      authenticatorAttachment: c.authenticatorAttachment || null,
    };
  }
  function post(url, form, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify(body || {}),
    }).then(function (response) {
      return response.json().catch(function () {
        return { error: form.getAttribute("data-failed") || "Fehler " + response.status };
      });
    });
  }
  function show(box, message) {
    if (!box) return;
    // The design system's error pattern: an icon, then the text.
    box.hidden = !message;
    box.textContent = "";
    if (!message) return;
    var icon = document.createElement("span");
    icon.className = "kern-icon kern-icon--danger";
    icon.setAttribute("aria-hidden", "true");
    var text = document.createElement("span");
    text.className = "kern-body";
    text.textContent = message;
    box.append(icon, text);
  }
  function handle(form, box, answer) {
    if (answer.redirect) {
      window.location.assign(answer.redirect);
      return;
    }
    show(box, answer.error);
  }
  function cancelled(form, box) {
    return function () {
      show(box, form.getAttribute("data-cancelled"));
    };
  }

  document.querySelectorAll("[data-passkey-register]").forEach(function (form) {
    var box = document.querySelector("[data-passkey-error]");
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = form.querySelector("[name=name]").value;
      show(box, "");
      post(form.getAttribute("data-options-url"), form)
        .then(function (options) {
          if (options.error) throw new Error(options.error);
          return navigator.credentials.create({ publicKey: creationOptions(options) });
        })
        .then(function (credential) {
          return post(form.getAttribute("data-url"), form, {
            name: name,
            credential: credentialJSON(credential),
          });
        })
        .then(function (answer) { handle(form, box, answer); }, cancelled(form, box));
    });
  });

  document.querySelectorAll("[data-passkey-login]").forEach(function (form) {
    var box = form.parentElement.querySelector("[data-passkey-error]");
    form.closest("[data-passkey-section]").hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(box, "");
      var next = form.querySelector("[name=next]");
      post(form.getAttribute("data-options-url"), form)
        .then(function (options) {
          if (options.error) throw new Error(options.error);
          return navigator.credentials.get({ publicKey: requestOptions(options) });
        })
        .then(function (credential) {
          return post(form.getAttribute("data-url"), form, {
            credential: credentialJSON(credential),
            next: next ? next.value : "",
          });
        })
        .then(function (answer) { handle(form, box, answer); }, cancelled(form, box));
    });
  });
})();
