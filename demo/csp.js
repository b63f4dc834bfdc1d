// The checkout element needs an address, set as a property: from a script file, as the policy requires.
document.getElementById('checkout').shippingAddress = {
  name: 'Jane Doe',
  streetAddress: '410 Terry Ave N',
  locality: 'Seattle',
  region: 'WA',
  postalCode: '98109',
  countryCode: 'US',
};
