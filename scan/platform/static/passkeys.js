// Passkeys and security keys (WebAuthn): add one on "Mijn account", log in with one.
// The server sends the options as JSON (py_webauthn's options_to_json) and checks the answer.
(function () {
  "use strict";

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer), binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      if (response.redirected) { window.location.assign(response.url); throw null; }
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "");
        return data;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (c) { return {type: c.type, id: toBytes(c.id), transports: c.transports}; });
  }

  function credentialJson(credential) {
    var r = credential.response, json = {
      id: credential.id, rawId: toBase64url(credential.rawId), type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults(),
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: {clientDataJSON: toBase64url(r.clientDataJSON)}
    };
    if (r.attestationObject) {
      json.response.attestationObject = toBase64url(r.attestationObject);
      if (r.getTransports) json.response.transports = r.getTransports();
    } else {
      json.response.authenticatorData = toBase64url(r.authenticatorData);
      json.response.signature = toBase64url(r.signature);
      if (r.userHandle) json.response.userHandle = toBase64url(r.userHandle);
    }
    return json;
  }

  function wire(box, ceremony, failure) {
    var button = box.querySelector("[data-passkey-start]");
    var error = box.querySelector("[data-passkey-error]");
    if (!window.PublicKeyCredential) {
      error.textContent = "Deze browser kan niet met een passkey werken. Gebruik een code.";
      error.hidden = false;
      button.disabled = true;
      return;
    }
    button.addEventListener("click", function () {
      error.hidden = true;
      button.disabled = true;
      ceremony(box).then(function (data) {
        window.location.assign(data.redirect);
      }).catch(function (problem) {
        if (problem === null) return;
        error.textContent = (problem && problem.message && problem.name === "Error") ? problem.message : failure;
        error.hidden = false;
        button.disabled = false;
      });
    });
  }

  function register(box) {
    var csrf = box.dataset.csrf;
    return post(box.dataset.options, csrf).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      return navigator.credentials.create({publicKey: options});
    }).then(function (credential) {
      var name = box.querySelector("[data-passkey-name]");
      return post(box.dataset.verify, csrf, {credential: credentialJson(credential), name: name ? name.value : ""});
    });
  }

  function login(box) {
    var csrf = box.dataset.csrf;
    return post(box.dataset.options, csrf).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      return navigator.credentials.get({publicKey: options});
    }).then(function (credential) {
      return post(box.dataset.verify, csrf, credentialJson(credential));
    });
  }

  document.querySelectorAll("[data-passkey-register]").forEach(function (box) {
    wire(box, register, "Het toevoegen van de passkey is niet gelukt. Probeer het opnieuw.");
  });
  document.querySelectorAll("[data-passkey-login]").forEach(function (box) {
    wire(box, login, "Inloggen met de passkey is niet gelukt. Probeer het opnieuw of gebruik een code.");
  });
})();
