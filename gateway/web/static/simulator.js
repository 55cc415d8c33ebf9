/* The phone simulator: every button sends the request a provider would send (see simulator.py). */
(function () {
  "use strict";
  const root = document.querySelector(".phones");
  const csrf = root.dataset.csrf;
  const $ = (id) => document.getElementById(id);
  const screen = $("reporter-screen");
  const input = $("reporter-input");
  let ussd = null;   // {session, text}
  let call = null;   // {call, action, expect}

  async function post(path, body) {
    const res = await fetch(path, {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      const answer = await res.json().catch(() => ({}));
      throw new Error(answer.message || res.statusText);
    }
    return res.json();
  }
  function show(text) { screen.textContent = text; }
  function reporter() { return $("reporter-number").value.trim(); }

  document.querySelectorAll(".keypad button").forEach((b) =>
    b.addEventListener("click", () => { input.value += b.dataset.key; input.focus(); }));

  $("ussd-dial").addEventListener("click", async () => {
    call = null; $("record-box").hidden = true;
    ussd = {session: "SIM" + Date.now() + Math.random().toString(16).slice(2), text: ""};
    await ussdHop();
  });
  async function ussdHop() {
    try {
      const r = await post("/simulator/api/ussd", {phone: reporter(), session: ussd.session, text: ussd.text});
      show(r.screen);
      if (r.end) { ussd = null; }
    } catch (e) { show(String(e)); ussd = null; }
  }
  async function send() {
    const value = input.value; input.value = "";
    if (call) { return callStep({digits: value}); }
    if (!ussd) { return; }
    ussd.text = ussd.text === "" ? value : ussd.text + "*" + value;
    await ussdHop();
  }
  $("ussd-send").addEventListener("click", send);
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); send(); } });
  $("ussd-end").addEventListener("click", () => { ussd = null; show(""); });

  async function callStep(extra) {
    try {
      const body = Object.assign({phone: reporter(), call: call && call.call, action: call && call.action}, extra);
      const r = await post("/simulator/api/call", body);
      show(r.prompts.join("\n"));
      if (r.expect === "hangup") { call = null; $("record-box").hidden = true; return; }
      call = {call: r.call, action: r.action, expect: r.expect};
      $("record-box").hidden = r.expect !== "record";
    } catch (e) { show(String(e)); call = null; }
  }
  $("call-start").addEventListener("click", () => { ussd = null; call = null; callStep({}); });
  $("call-hangup").addEventListener("click", () => { call = null; $("record-box").hidden = true; show(""); });
  $("record-send").addEventListener("click", () => {
    const words = $("record-text").value; $("record-text").value = "";
    callStep({recording: words});
  });

  async function sendSms(phone, box) {
    const text = box.value.trim();
    if (!text) { return; }
    box.value = "";
    try { await post("/simulator/api/sms", {phone: phone, text: text}); } catch (e) { alert(e); }
    setTimeout(refresh, 800);
  }
  $("reporter-sms-send").addEventListener("click", () => sendSms(reporter(), $("reporter-sms")));
  $("caseworker-sms-send").addEventListener("click", () => sendSms($("caseworker-number").value, $("caseworker-sms")));

  function whatsappNumber() { return $("whatsapp-number").value.trim(); }
  async function sendWhatsapp(extra) {
    try { await post("/simulator/api/whatsapp", Object.assign({phone: whatsappNumber()}, extra)); }
    catch (e) { alert(e); }
    setTimeout(refresh, 800);
  }
  function readPhoto(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve({type: file.type, data: String(reader.result).split(",")[1]});
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }
  $("whatsapp-send").addEventListener("click", async () => {
    const text = $("whatsapp-text").value.trim();
    const file = $("whatsapp-photo").files[0];
    $("whatsapp-text").value = "";
    $("whatsapp-photo").value = "";
    if (file) { return sendWhatsapp({text: text, photo: await readPhoto(file)}); }
    if (text) { return sendWhatsapp({text: text}); }
  });

  async function fill(phone, box, channel) {
    if (!phone) { return; }
    try {
      const query = "?phone=" + encodeURIComponent(phone) + (channel ? "&channel=" + channel : "");
      const res = await fetch("/simulator/api/inbox" + query);
      if (!res.ok) { return; }
      const data = await res.json();
      box.replaceChildren(...data.messages.map((m) => {
        const p = document.createElement("p");
        p.textContent = m.body;
        p.title = m.at + " (" + m.status + ")";
        if (channel === "whatsapp") {
          m.choices.forEach((c) => {   // WhatsApp's buttons and list rows: a tap answers
            const b = document.createElement("button");
            b.type = "button"; b.textContent = c.title;
            b.addEventListener("click", () => sendWhatsapp({reply: c}));
            p.append(document.createElement("br"), b);
          });
        }
        return p;
      }));
    } catch (e) { /* the next poll tries again */ }
  }
  function refresh() {
    fill(reporter(), $("reporter-inbox"));
    fill(whatsappNumber(), $("whatsapp-inbox"), "whatsapp");
    fill($("caseworker-number").value, $("caseworker-inbox"));
  }
  setInterval(refresh, 2000);
  refresh();
}());
