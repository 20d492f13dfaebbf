// Package demo is the demonstration county: Xinping (新平), its county
// hub, township and village stations, the companies at the county centre
// and a few e-commerce firms (xinping.json, approximate and saying so), and
// a generator of realistic days of parcels over it. `tongpei serve --demo`
// loads it, and the tests of dispatch, settlement and the API plan over it.
//
// The registry part is loaded here (LoadRegistry); the parts other domains
// own are loaded by their own packages (pricing.LoadDemo,
// dispatch.Service.LoadDemoFleet, kpi.Service.LoadDemo), called one after
// another by cmd/tongpei, so that this package depends on the registry
// alone and any domain's tests can use the county.
//
// Loading is insert-if-missing: a record whose code (stations, carriers) or
// credit code (merchants) is already registered is left exactly as it is,
// so a second load changes nothing and an operator's edits survive a
// restart with --demo.
package demo
