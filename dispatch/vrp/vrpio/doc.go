// Package vrpio reads and writes the optimiser's file formats: VRPLIB /
// CVRPLIB instances and solutions (vrplib*.go) and VROOM's JSON problem and
// solution (vroomjson*.go). It converts them to and from the model of
// package vrp and is, like vrp, standard library only. Bad input is a
// *vrp.InputError naming the line or JSON field.
package vrpio
