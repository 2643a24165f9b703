/**
 * Tenancy rules that the operator and every gateway replica apply alike: who owns a served name
 * ({@link io.dormouse.api.tenancy.ServedNames}) and which projects a namespace lets its endpoints
 * serve ({@link io.dormouse.api.tenancy.AllowedProjects}). Pure functions of the objects both sides
 * watch, so that they agree without talking to each other.
 */
package io.dormouse.api.tenancy;
