// Demo checkout: cart, address and sign-in drive <bwp-checkout-offers>; "Place order" goes to the demo
// merchant backend (/demo/orders), which creates the sandbox order from the element's selection.
import {setShopperToken as setElementsShopperToken} from '/dist/cdn/bwp-elements.js';

// The sandbox's Login with Amazon shopper tokens (reference/bwp-api.md §1.4).
const TOKENS = {
  prime:
    'eyJ0eXBlIjoiQUNDRVNTX1RPS0VOIiwidmFsdWUiOiJzYW5kYm94LW1vY2tlZC10ZXN0LXByaW1lLXNob3BwZXItYWNjZXNzLXRva2VuIn0=',
  'non-prime': btoa(
    JSON.stringify({type: 'ACCESS_TOKEN', value: 'sandbox-mocked-test-non-prime-shopper-access-token'}),
  ),
};

const PRESETS = {
  seattle: {
    name: 'Jane Doe',
    streetAddress: '440 Terry Ave N',
    locality: 'Seattle',
    region: 'WA',
    postalCode: '98109',
    countryCode: 'US',
  },
  // A ZIP code that is not in the state: the API answers InvalidAddress.
  invalid: {
    name: 'Jane Doe',
    streetAddress: '440 Terry Ave N',
    locality: 'Seattle',
    region: 'WA',
    postalCode: '10001',
    countryCode: 'US',
  },
  // A US territory: the API answers InvalidDestination.
  'puerto-rico': {
    name: 'Jane Doe',
    streetAddress: '1 Calle Fortaleza',
    locality: 'San Juan',
    region: 'PR',
    postalCode: '00901',
    countryCode: 'US',
  },
};

const offers = document.getElementById('offers');
const form = document.getElementById('address');
const place = document.getElementById('place');
const status = document.getElementById('order-status');
const confirmation = document.getElementById('confirmation');
let token = null;
let selection = null;

function setShopperToken(value) {
  token = value;
  setElementsShopperToken(value);
}

function readAddress() {
  const data = new FormData(form);
  const address = {};
  for (const key of Object.keys(PRESETS.seattle)) address[key] = String(data.get(key) ?? '').trim();
  return address;
}

function applyAddress() {
  offers.shippingAddress = readAddress();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  applyAddress();
});
form.addEventListener('change', applyAddress);
form.addEventListener('click', (event) => {
  const preset = PRESETS[event.target.closest('[data-preset]')?.dataset.preset];
  if (!preset) return;
  for (const [key, value] of Object.entries(preset)) form.elements[key].value = value;
  applyAddress();
});

document.querySelector('.cart-lines').addEventListener('change', (event) => {
  const row = event.target.closest('[data-sku]');
  if (!row) return;
  const quantity = String(Math.min(9, Math.max(1, Math.trunc(Number(event.target.value)) || 1)));
  event.target.value = quantity;
  offers
    .querySelector(`bwp-line-item[sku="${CSS.escape(row.dataset.sku)}"]`)
    ?.setAttribute('quantity', quantity);
});

const shopper = document.getElementById('shopper');
shopper.addEventListener('change', (event) => {
  setShopperToken(TOKENS[event.target.value] ?? null);
});

offers.addEventListener('bwp-change', (event) => {
  selection = event.detail;
  place.disabled = !selection;
});

function showOrder(order) {
  document.getElementById('order-id').textContent = order.id;
  const list = document.getElementById('order-lines');
  list.replaceChildren(
    ...order.lines.map((line) => {
      const item = document.createElement('li');
      item.dataset.sku = line.sku ?? line.productId ?? '';
      item.dataset.deliveryOfferId = line.deliveryOfferId ?? '';
      const title = document.createElement('strong');
      title.textContent = line.title ?? line.sku;
      const promise = document.createElement('span');
      promise.className = 'order-promise';
      promise.textContent = line.messageText ?? '';
      item.append(title, ` × ${line.quantity}: `, promise);
      return item;
    }),
  );
  confirmation.hidden = false;
}

place.addEventListener('click', async () => {
  if (!selection) return;
  place.disabled = true;
  confirmation.hidden = true;
  status.textContent = 'Placing your order…';
  try {
    const created = await fetch('/demo/orders', {
      method: 'POST',
      headers: {'content-type': 'application/json', ...(token ? {'x-bwp-shopper-token': token} : {})},
      body: JSON.stringify({selection}),
    });
    const body = await created.json();
    if (!created.ok) {
      status.textContent = body.error?.message ?? 'The order could not be placed.';
      return;
    }
    // Read the order back: the confirmation shows what Amazon stored, not what the page sent.
    const read = await fetch(`/demo/orders/${encodeURIComponent(body.order.id)}`);
    const {order} = await read.json();
    status.textContent = `Order ${order.id} placed.`;
    showOrder(order);
  } catch {
    status.textContent = 'The order could not be placed. Please try again.';
  } finally {
    place.disabled = !selection;
  }
});

// A reload may restore the form's state (a shopper other than "Signed out"): start from what it shows.
applyAddress();
const restored = shopper.querySelector('input:checked')?.value;
if (restored) setShopperToken(TOKENS[restored] ?? null);
