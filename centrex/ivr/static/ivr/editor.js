// The scenario editor (docs/applications.md): blocks as boxes, their actions in order,
// SVG arrows for the jumps. Every select offers only what exists (blocks, sounds, queues...,
// sent by the page as JSON); the server validates again and its errors are shown on the
// block and action they name. No framework: the page is small and must work offline.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("editor-data").textContent);
  const T = JSON.parse(document.getElementById("editor-texts").textContent);
  const schema = data.schema;
  const specs = Object.fromEntries(schema.actions.map((a) => [a.type, a]));
  const editable = data.can_change;
  let scenario = JSON.parse(JSON.stringify(data.scenario));
  const blocksEl = document.getElementById("editor-blocks");
  const arrowsEl = document.getElementById("editor-arrows");
  const messagesEl = document.getElementById("editor-messages");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "on") {
        for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
      } else if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(key, value === true ? "" : value);
      }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_m, key) => values[key]);
  }

  // -- the choices a field offers -----------------------------------------------------------
  function targetOptions() {
    const options = [];
    for (const block of scenario.blocks) {
      options.push([block.id, block.name || block.id]);
      for (const action of block.actions) {
        if (action.label) options.push([`${block.id}:${action.label}`, `${block.name || block.id} · ${action.label}`]);
      }
    }
    return options;
  }

  function select(options, value, required, onChange) {
    const node = el("select", { disabled: !editable, on: { change: (e) => onChange(e.target.value) } });
    if (!required || value === undefined || value === null || value === "") {
      node.append(el("option", { value: "" }, T.none));
    }
    for (const [optionValue, label] of options) {
      node.append(el("option", { value: String(optionValue), selected: String(optionValue) === String(value ?? "") }, String(label)));
    }
    return node;
  }

  function fieldInput(field, action) {
    const value = action[field.name];
    const set = (v) => { if (v === "" || v === null) delete action[field.name]; else action[field.name] = v; };
    const refresh = (v) => { set(v); draw(); };
    switch (field.kind) {
      case "target":
        return select(targetOptions(), value, false, refresh);
      case "targets": {
        const map = action[field.name] || (action[field.name] = {});
        const box = el("div", { class: "menu-keys" });
        for (const key of schema.menu_keys) {
          const keySelect = select(targetOptions(), map[key], false, (v) => {
            if (v) map[key] = v; else delete map[key];
            draw();
          });
          keySelect.dataset.key = key;
          box.append(el("label", { class: "menu-key" }, fmt(T.key, { key }), keySelect));
        }
        return box;
      }
      case "sound": case "schedule": case "incident": case "webservice": case "queue":
        return select(data.choices[field.kind] || [], value, false, (v) => set(v === "" ? "" : Number(v)));
      case "int":
        return el("input", { type: "number", min: field.low, max: field.high, value: value ?? field.default ?? "",
          disabled: !editable, on: { change: (e) => set(e.target.value === "" ? "" : Number(e.target.value)) } });
      case "choice": {
        const labels = field.name === "operator" ? Object.fromEntries(schema.operators.map((o) => [o.value, o.label])) : {};
        return select(field.choices.map((c) => [c, labels[c] || c]), value ?? field.default, true, set);
      }
      case "internal": case "voicemail": case "conference": case "number": {
        // Typed (an outside number is free), with this system's numbers suggested.
        const kind = field.kind === "number" ? "internal" : field.kind;
        return el("input", { type: "text", value: value ?? "", list: datalist(kind), disabled: !editable,
          on: { change: (e) => set(e.target.value.trim()) } });
      }
      case "variables":
        return el("input", { type: "text", value: (value || []).join(", "), disabled: !editable,
          on: { change: (e) => set(e.target.value.split(",").map((s) => s.trim()).filter(Boolean)) } });
      default:
        return el("input", { type: "text", value: value ?? "", disabled: !editable,
          on: { change: (e) => set(e.target.value.trim()) } });
    }
  }

  function datalist(kind) {
    const id = `editor-numbers-${kind}`;
    if (!document.getElementById(id)) {
      const list = el("datalist", { id });
      for (const [number, label] of data.choices[kind] || []) list.append(el("option", { value: number, label }));
      document.body.append(list);
    }
    return id;
  }

  // -- drawing ---------------------------------------------------------------------------------
  function move(list, index, by) {
    const to = index + by;
    if (to < 0 || to >= list.length) return;
    [list[index], list[to]] = [list[to], list[index]];
    draw();
  }

  function actionNode(block, action, index) {
    const spec = specs[action.type];
    const fields = el("div", { class: "action-fields" });
    for (const field of spec.fields) {
      fields.append(el("label", { class: `field-${field.kind}`, "data-field": field.name },
        el("span", {}, field.label + (field.required ? "" : " (…)")), fieldInput(field, action)));
    }
    fields.append(el("label", { class: "field-label", "data-field": "label" }, el("span", {}, T.label),
      el("input", { type: "text", value: action.label || "", size: 10, disabled: !editable,
        on: { change: (e) => { const v = e.target.value.trim(); if (v) action.label = v; else delete action.label; draw(); } } })));
    const tools = editable ? el("span", { class: "action-tools" },
      el("button", { type: "button", title: T.up, on: { click: () => move(block.actions, index, -1) } }, "↑"),
      el("button", { type: "button", title: T.down, on: { click: () => move(block.actions, index, 1) } }, "↓"),
      el("button", { type: "button", title: T.remove, class: "remove", on: { click: () => { block.actions.splice(index, 1); draw(); } } }, "✕")) : null;
    return el("li", { class: "action", "data-block": block.id, "data-action": index, "data-type": action.type },
      el("div", { class: "action-head" }, el("strong", {}, `${index + 1}. ${spec.label}`), tools),
      spec.help ? el("p", { class: "help" }, spec.help) : null, fields,
      el("div", { class: "action-errors" }));
  }

  function blockNode(block, position) {
    const list = el("ol", { class: "actions" });
    block.actions.forEach((action, index) => list.append(actionNode(block, action, index)));
    const head = el("div", { class: "block-head" },
      el("code", { class: "block-id" }, block.id),
      el("input", { type: "text", class: "block-name", value: block.name || "", "aria-label": T.block_name,
        disabled: !editable, on: { change: (e) => { block.name = e.target.value; } } }),
      editable && block.id !== schema.start ? el("button", { type: "button", class: "remove", title: T.remove_block,
        on: { click: () => { scenario.blocks.splice(position, 1); draw(); } } }, "✕") : null);
    const adder = editable ? el("div", { class: "add-action" },
      select(schema.actions.map((a) => [a.type, a.label]), "", false, (type) => {
        if (!type) return;
        const action = { type };
        for (const field of specs[type].fields) {
          if (field.default !== null && field.default !== undefined) action[field.name] = field.default;
        }
        block.actions.push(action);
        draw();
      })) : null;
    if (adder) adder.firstChild.firstChild.textContent = T.new_action;
    return el("section", { class: "block", id: `block-${block.id}`, "data-block": block.id }, head, list, adder,
      el("div", { class: "block-errors" }));
  }

  function arrows() {
    const box = document.getElementById("editor").getBoundingClientRect();
    arrowsEl.setAttribute("width", box.width);
    arrowsEl.setAttribute("height", box.height);
    const parts = ['<defs><marker id="editor-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'];
    for (const node of blocksEl.querySelectorAll(".action")) {
      const block = scenario.blocks.find((b) => b.id === node.dataset.block);
      const action = block && block.actions[Number(node.dataset.action)];
      if (!action) continue;
      const targets = [];
      for (const field of specs[action.type].fields) {
        const value = action[field.name];
        if (field.kind === "target" && value) targets.push(value);
        if (field.kind === "targets" && value) targets.push(...Object.values(value));
      }
      const from = node.getBoundingClientRect();
      for (const target of new Set(targets)) {
        const dest = document.getElementById(`block-${target.split(":")[0]}`);
        if (!dest) continue;
        const to = dest.getBoundingClientRect();
        const sx = from.right - box.left, sy = from.top + 14 - box.top;
        const right = to.left >= from.right - 5;
        const ex = (right ? to.left : to.right) - box.left, ey = to.top + 16 - box.top;
        const bend = Math.max(40, Math.abs(ex - sx) / 2);
        parts.push(`<path class="jump" data-from="${node.dataset.block}:${node.dataset.action}" data-to="${target}" d="M${sx},${sy} C${sx + bend},${sy} ${right ? ex - bend : ex + bend},${ey} ${ex},${ey}" marker-end="url(#editor-arrow)"/>`);
      }
    }
    arrowsEl.innerHTML = parts.join("");
  }

  function draw() {
    blocksEl.replaceChildren(...scenario.blocks.map(blockNode));
    requestAnimationFrame(arrows);
  }

  // -- saving ----------------------------------------------------------------------------------
  function showErrors(errors) {
    messagesEl.replaceChildren(el("div", { class: "notice error" }, el("p", {}, T.errors),
      el("ul", {}, ...errors.map((e) => el("li", {}, [e.block, e.action !== null && e.action !== undefined ? fmt(T.action, { n: e.action + 1 }) : null, e.field].filter((x) => x !== null && x !== undefined && x !== "").join(" · ") + (e.block ? " — " : "") + e.message)))));
    for (const error of errors) {
      const block = error.block && document.getElementById(`block-${error.block}`);
      if (!block) continue;
      block.classList.add("has-error");
      let where = block.querySelector(".block-errors");
      if (error.action !== null && error.action !== undefined) {
        const action = block.querySelector(`.action[data-action="${error.action}"]`);
        if (action) {
          action.classList.add("has-error");
          where = action.querySelector(".action-errors");
          const field = error.field && action.querySelector(`[data-field="${error.field}"]`);
          if (field) field.classList.add("has-error");
        }
      }
      where.append(el("p", { class: "error" }, error.message));
    }
  }

  async function save() {
    draw();
    messagesEl.replaceChildren();
    let response;
    try {
      response = await fetch(data.save_url, { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": document.getElementById("editor-csrf").value },
        body: JSON.stringify(scenario) });
    } catch (_error) {
      messagesEl.replaceChildren(el("div", { class: "notice error" }, T.failed));
      return;
    }
    const answer = await response.json().catch(() => ({ errors: [{ message: T.failed }] }));
    if (!response.ok) {
      requestAnimationFrame(() => showErrors(answer.errors || [{ message: T.failed }]));
      return;
    }
    scenario = answer.scenario;
    document.getElementById("editor-revision").textContent = fmt(T.revision, { n: answer.revision });
    draw();
    messagesEl.replaceChildren(el("div", { class: "notice success", id: "editor-saved" }, answer.message || T.saved));
  }

  const addBlock = document.getElementById("add-block");
  if (addBlock) {
    addBlock.addEventListener("click", () => {
      const id = (window.prompt(T.new_block) || "").trim();
      if (!id) return;
      scenario.blocks.push({ id, name: id, actions: [{ type: "hangup" }] });
      draw();
      document.getElementById(`block-${id}`)?.scrollIntoView({ block: "nearest" });
    });
    document.getElementById("save-scenario").addEventListener("click", save);
  }
  window.addEventListener("resize", () => requestAnimationFrame(arrows));
  draw();
})();
