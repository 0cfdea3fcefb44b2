-- PC-4 staff with an employment, not ended before @syncDate, at a configured school.
-- Parameters: @schoolIds nvarchar(max) (comma-separated), @syncDate date.
-- For staff with protected identity or protected address only the id and the flags leave the database.
SELECT
  sf.staff_id AS staffId,
  CASE WHEN sf.protected_identity = 1 OR sf.protected_address = 1 THEN NULL ELSE sf.national_id END AS nationalId,
  CASE WHEN sf.protected_identity = 1 OR sf.protected_address = 1 THEN NULL ELSE sf.first_name END AS firstName,
  CASE WHEN sf.protected_identity = 1 OR sf.protected_address = 1 THEN NULL ELSE sf.last_name END AS lastName,
  CASE WHEN sf.protected_identity = 1 OR sf.protected_address = 1 THEN NULL ELSE sf.email END AS email,
  sf.protected_identity AS protectedIdentity,
  sf.protected_address AS protectedAddress,
  sf.deceased AS deceased
FROM integration.pc_staff AS sf
WHERE EXISTS (
  SELECT 1
  FROM integration.pc_employment AS e
  WHERE e.staff_id = sf.staff_id
    AND e.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
    AND (e.end_date IS NULL OR e.end_date >= @syncDate)
)
