DROP TABLE ward_figures;
DROP TABLE measure_responses;
DROP FUNCTION measure_responses_locked();
DROP TABLE measure_definitions;
DROP FUNCTION measure_definitions_immutable();
